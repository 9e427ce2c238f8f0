# SPDX-License-Identifier: BSD-3-Clause
"""Zero-copy sending and receiving: buffers of every kind, huge frames, and
memory that is neither leaked nor freed while libzmq still uses it."""

import gc
import tracemalloc
import weakref

import pytest
from conftest import Owned, send_forgotten
from zmq_testkit import connected_pair

import zmq

np = pytest.importorskip("numpy")


@pytest.mark.parametrize(
    "dtype", ["u1", "i2", "i4", "i8", "f4", "f8", "c16", "?", "S7", [("x", "f4"), ("n", "i2")]]
)
def test_numpy_arrays_of_any_dtype(pair, dtype):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    arr = np.zeros(50_000, dtype=dtype)
    arr.view("u1")[:] = np.arange(arr.nbytes, dtype=np.uint64).astype("u1")
    tracker = b.send(arr, copy=False, track=True)
    frame = a.recv(copy=False)
    got = np.frombuffer(frame, dtype=arr.dtype)
    assert got.tobytes() == arr.tobytes()
    tracker.wait(5)


@pytest.mark.parametrize("copy", [True, False])
def test_numpy_arrays_and_scalars_wherever_a_buffer_goes(pair, copy):
    # what zmq.core.buffers.BufferLike promises type checkers, at run time
    a, b = pair(zmq.PAIR, zmq.PAIR)
    arr = np.arange(1000, dtype="i4")
    scalar = np.float64(2.5)
    b.send(arr, copy=copy)
    assert a.recv() == arr.tobytes()
    b.send(scalar, copy=copy)
    assert a.recv() == scalar.tobytes()
    b.send_multipart([b"head", arr, scalar], copy=copy)
    assert a.recv_multipart() == [b"head", arr.tobytes(), scalar.tobytes()]
    b.send(zmq.Frame(arr, copy=copy))
    assert a.recv() == arr.tobytes()
    into = np.zeros(1000, dtype="i4")
    b.send(arr, copy=copy)
    assert a.recv_into(into) == arr.nbytes
    assert (into == arr).all()


def test_fortran_order_array_is_contiguous_enough(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    arr = np.asfortranarray(np.arange(200_000, dtype="f8").reshape(400, 500))
    b.send(arr, copy=False)
    got = np.frombuffer(a.recv(copy=False), dtype="f8")
    assert got.tobytes() == arr.tobytes(order="A")


def test_non_contiguous_array_is_refused_before_sending(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    arr = np.arange(100_000).reshape(1000, 100)[:, ::3]
    for copy in (True, False):
        with pytest.raises(ValueError, match="contiguous"):
            b.send(arr, copy=copy)
        with pytest.raises(ValueError, match="contiguous"):
            b.send_multipart([b"head", arr], copy=copy)
    assert a.poll(50) == 0  # nothing, not even the head, was sent


def test_received_frame_data_is_not_copied(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR, "tcp")
    b.send(b"q" * 1_000_000)
    frame = a.recv(copy=False)
    v1 = np.frombuffer(frame, dtype="u1")
    v2 = np.frombuffer(frame.buffer, dtype="u1")
    # both views point at the same memory: libzmq's message, not a copy
    assert v1.__array_interface__["data"][0] == v2.__array_interface__["data"][0]
    assert v1[0] == ord("q")


def test_buffer_kept_alive_until_libzmq_releases_it(pair):
    # inproc: the message waits in the pipe, untouched, until it is received
    a, b = pair(zmq.PAIR, zmq.PAIR, "inproc")
    ref = send_forgotten(b, b"k" * 300_000)
    gc.collect()
    # not received yet: libzmq still holds the message, so the buffer lives
    assert ref() is not None
    assert a.recv() == b"k" * 300_000
    deadline_hit = False
    for _ in range(500):
        gc.collect()
        if ref() is None:
            break
        a.poll(10)
    else:
        deadline_hit = True
    assert not deadline_hit, "buffer never released after delivery"


def test_dropped_frames_and_unsent_messages_release_their_buffers(ctx):
    push = ctx.socket(zmq.PUSH)
    push.linger = 0
    push.sndhwm = 100
    push.connect("tcp://127.0.0.1:1")  # never connects: messages stay queued
    refs = []
    for _ in range(5):
        buf = Owned(b"u" * 100_000)
        refs.append(weakref.ref(buf))
        if push.poll(0, zmq.POLLOUT):
            push.send(buf, copy=False, flags=zmq.NOBLOCK)
        frame = zmq.Frame(buf, copy=False)
        del frame, buf
    push.close()  # linger 0: queued messages are dropped, memory released
    for _ in range(100):
        gc.collect()
        if all(r() is None for r in refs):
            break
        zmq.Poller().poll(10)
    assert all(r() is None for r in refs)


def test_no_leak_over_many_zero_copy_round_trips(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    payload = bytearray(b"m" * 100_000)

    def rounds(n):
        for _ in range(n):
            t = b.send(payload, copy=False, track=True)
            f = a.recv(copy=False)
            assert len(f) == len(payload)
            del f
            t.wait(5)
            b.send_multipart([payload, b"x", memoryview(payload)], copy=False)
            a.recv_multipart(copy=False)
            zmq.Frame(payload, track=True)

    rounds(200)  # warm up caches and free lists
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    rounds(2000)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    # 2000 rounds of 100 kB payloads: a leak of one object per round would
    # show as megabytes; allow a little noise
    assert after - before < 200_000, f"grew by {after - before} bytes"


def test_huge_frame_over_2gib_is_whole(ctx):
    size = 2**31 + 4096  # more than fits a C int
    try:
        big = np.empty(size, dtype="u1")
    except MemoryError:
        pytest.skip("not enough memory for a 2 GiB buffer")
    big[:8] = np.frombuffer(b"headhead", dtype="u1")
    big[-8:] = np.frombuffer(b"tailtail", dtype="u1")
    a = ctx.socket(zmq.PAIR)
    a.bind("inproc://huge")
    b = ctx.socket(zmq.PAIR)
    b.connect("inproc://huge")
    for s in (a, b):
        s.linger = 0
        s.rcvtimeo = s.sndtimeo = 30_000
    tracker = b.send(big, copy=False, track=True)
    frame = a.recv(copy=False)
    assert len(frame) == size
    view = frame.buffer
    assert len(view) == size
    assert bytes(view[:8]) == b"headhead" and bytes(view[-8:]) == b"tailtail"
    del view, frame
    tracker.wait(30)
    # recv_into reports the true size, not one clamped to 2 GiB
    b.send(big, copy=False)
    small = bytearray(16)
    assert a.recv_into(small) == size
    assert small[:8] == b"headhead"
    a.close()
    b.close()


@pytest.mark.parametrize("copy", [True, False])
@pytest.mark.parametrize("size", [64 * 1024, 1 << 20])
def test_inproc_receiver_cannot_write_into_sent_bytes(ctx, size, copy):
    # large bytes are shared with libzmq (bytes never change), and over
    # inproc the receiver gets the very memory: a received Frame over it is
    # read-only, so that nobody can change an immutable bytes through it
    a, b = connected_pair(ctx, zmq.PAIR, zmq.PAIR, "inproc")
    data = bytes(size)
    a.send(data, copy=copy)
    a.send_multipart([data, data], copy=copy)
    for frame in [b.recv(copy=False)] + b.recv_multipart(copy=False):
        assert frame.buffer.readonly
        with pytest.raises(TypeError):
            frame.buffer[0] = 65
        assert frame.bytes is data
    assert data[0] == 0
    a.close()
    b.close()


@pytest.mark.parametrize("size", [64 * 1024, 4 << 20])
def test_inproc_recv_returns_the_sent_bytes_without_copying(ctx, size):
    # nothing to copy: the bytes sent are the bytes received (a 1 MiB copy
    # round trip cost 760 us of page faults and memcpy; now it costs none)
    a, b = connected_pair(ctx, zmq.PAIR, zmq.PAIR, "inproc")
    data = b"q" * size
    a.send(data)
    assert b.recv() is data
    a.send_multipart([b"head", data, data])
    head, first, second = b.recv_multipart()
    assert head == b"head" and first is data and second is data
    a.send_string("x" * size)
    assert b.recv_string() == "x" * size


def test_writable_buffers_stay_writable_and_copies_stay_copies(ctx):
    # a bytearray sent zero-copy is writable memory (PyZMQ's Frames over it
    # are too); a bytearray sent with copy=True arrives as a copy; so does a
    # memoryview of bytes, which recv() cannot hand back as bytes
    a, b = connected_pair(ctx, zmq.PAIR, zmq.PAIR, "inproc")
    shared = bytearray(100_000)
    a.send(shared, copy=False)
    frame = b.recv(copy=False)
    assert not frame.buffer.readonly
    frame.buffer[0] = 7
    assert shared[0] == 7
    a.send(shared)
    got = b.recv()
    assert type(got) is bytes and got == bytes(shared)
    data = bytes(100_000)
    a.send(memoryview(data)[1:], copy=False)
    got = b.recv()
    assert type(got) is bytes and got == data[1:]


def test_tcp_receiver_gets_its_own_bytes(ctx):
    a, b = connected_pair(ctx, zmq.PAIR, zmq.PAIR, "tcp")
    data = b"t" * (1 << 20)
    a.send(data)
    got = b.recv()
    assert got == data and got is not data
    a.close()
    b.close()
