# SPDX-License-Identifier: BSD-3-Clause
"""Frame (alias Message) and MessageTracker over real sockets."""

import gc
import threading
import weakref

import pytest

import zmq
import zmq.utils.garbage


def test_message_is_frame():
    assert zmq.Message is zmq.Frame


@pytest.mark.parametrize(
    "data",
    [b"bytes", bytearray(b"bytearray"), memoryview(b"memoryview"), b""],
)
def test_frame_from_buffers(data):
    f = zmq.Frame(data)
    assert f.bytes == bytes(data)
    assert bytes(f) == bytes(data)
    assert len(f) == len(data)
    assert f.buffer.tobytes() == bytes(data)
    assert not f.more


def test_frame_from_numpy():
    np = pytest.importorskip("numpy")
    a = np.arange(10, dtype=np.float64)
    f = zmq.Frame(a)
    assert len(f) == a.nbytes
    assert (np.frombuffer(f, dtype=np.float64) == a).all()


def test_empty_frame():
    f = zmq.Frame()
    assert len(f) == 0
    assert f.bytes == b""


def test_frame_rejects_str_and_non_buffers():
    with pytest.raises(TypeError):
        zmq.Frame("text")
    with pytest.raises(TypeError):
        zmq.Frame(12)


def test_frame_rejects_non_contiguous():
    np = pytest.importorskip("numpy")
    a = np.arange(20).reshape(4, 5)[:, ::2]
    with pytest.raises(ValueError, match="contiguous"):
        zmq.Frame(a, copy=False)


def test_zero_copy_frame_keeps_the_buffer_alive_and_locked():
    data = bytearray(b"z" * 100_000)
    f = zmq.Frame(data, copy=False)
    # libzmq shares the memory: the bytearray cannot be resized meanwhile
    with pytest.raises(BufferError):
        data.extend(b"more")
    assert f.bytes == bytes(data)
    del f
    # libzmq released the memory with the Frame; zmq-core drops its view at
    # its next call or reaper turn (not at once): reading gc.refs is a call
    held = zmq.utils.garbage.gc.refs.values()
    assert all(ref.obj is not data for ref in held)
    data.extend(b"now fine")


def test_send_and_receive_frames(pair):
    a, b = pair(zmq.PUSH, zmq.PULL)
    a.send(zmq.Frame(b"framed"))
    f = b.recv(copy=False)
    assert f.bytes == b"framed"
    # a Frame can be sent more than once
    g = zmq.Frame(b"twice")
    a.send(g)
    a.send(g)
    assert b.recv() == b.recv() == b"twice"


def test_more_on_received_frames(pair):
    a, b = pair(zmq.PUSH, zmq.PULL)
    a.send_multipart([b"1", b"2", b"3"])
    frames = b.recv_multipart(copy=False)
    assert [f.more for f in frames] == [True, True, False]
    assert frames[0].get(zmq.MORE) == 1
    assert frames[2].get(zmq.MORE) == 0


def test_metadata_properties(pair):
    a, b = pair(zmq.PULL, zmq.PUSH, "tcp")
    b.send(b"meta")
    f = a.recv(copy=False)
    assert f.get("Socket-Type") == "PUSH"
    assert f["Socket-Type"] == "PUSH"
    assert f.get(b"Peer-Address") == "127.0.0.1"
    with pytest.raises(zmq.ZMQError) as info:
        f.get("No-Such-Property")
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(TypeError):
        f.get(1.5)


def test_set_message_option():
    f = zmq.Frame(b"x")
    with pytest.raises(zmq.ZMQError):
        f.set(zmq.MORE, 1)  # read-only in libzmq
    with pytest.raises(TypeError):
        f.set(zmq.MORE, "x")


def test_copy_shares_content():
    import copy

    f = zmq.Frame(b"shared" * 20000)
    g = copy.copy(f)
    assert g.bytes == f.bytes
    assert g is not f
    assert f.fast_copy().bytes == f.bytes


def test_bytes_is_cached_and_identical_for_zero_copy_bytes():
    data = b"q" * 200_000
    f = zmq.Frame(data)  # above COPY_THRESHOLD: shared, not copied
    assert f.bytes is data
    small = zmq.Frame(b"small")
    assert small.bytes is small.bytes


def test_repr():
    assert "abc" in repr(zmq.Frame(b"abc"))
    assert "100B" in repr(zmq.Frame(b"x" * 100))


def test_tracker_of_zero_copy_frame(pair):
    a, b = pair(zmq.PUSH, zmq.PULL)
    f = zmq.Frame(b"t" * 100_000, track=True)
    assert isinstance(f.tracker, zmq.MessageTracker)
    assert not f.tracker.done
    tracker = a.send(f, copy=False, track=True)
    assert tracker is f.tracker
    assert b.recv() == b"t" * 100_000
    # the Frame itself still holds the message
    assert not tracker.done
    with pytest.raises(zmq.NotDone):
        tracker.wait(0.05)
    del f
    gc.collect()
    tracker.wait(5)
    assert tracker.done


def test_copied_frame_tracker_is_done():
    f = zmq.Frame(b"tiny", track=True)
    assert f.tracker.done
    f.tracker.wait(0)


def test_untracked_frame_with_track_true_is_an_error(pair):
    a, b = pair(zmq.PUSH, zmq.PULL)
    with pytest.raises(ValueError):
        a.send(zmq.Frame(b"x"), track=True)


def test_tracker_wait_from_another_thread(pair):
    a, b = pair(zmq.PUSH, zmq.PULL)
    data = b"w" * 200_000
    tracker = a.send(data, copy=False, track=True)
    done = []
    t = threading.Thread(target=lambda: (tracker.wait(5), done.append(tracker.done)))
    t.start()
    assert b.recv() == data
    t.join(10)
    assert done == [True]


def test_combined_tracker(pair):
    a, b = pair(zmq.PUSH, zmq.PULL)
    t1 = a.send(b"1" * 100_000, copy=False, track=True)
    t2 = a.send(b"2" * 100_000, copy=False, track=True)
    event = threading.Event()
    both = zmq.MessageTracker(t1, t2, event)
    b.recv()
    b.recv()
    t1.wait(5)
    t2.wait(5)
    assert not both.done  # the event is not set
    event.set()
    both.wait(1)
    assert both.done
    with pytest.raises(TypeError):
        zmq.MessageTracker("not trackable")
    with pytest.raises(ValueError):
        zmq.MessageTracker(zmq.Frame(b"untracked"))


def test_multipart_tracker_covers_every_part(pair):
    a, b = pair(zmq.PUSH, zmq.PULL)
    parts = [b"a" * 100_000, b"b" * 100_000, b"small"]
    tracker = a.send_multipart(parts, copy=False, track=True)
    assert tracker.pending in (0, 1, 2)
    assert b.recv_multipart() == parts
    tracker.wait(5)
    assert tracker.done


def test_zero_copy_buffers_are_released(pair):
    a, b = pair(zmq.PUSH, zmq.PULL)

    class Buf(bytearray):
        pass

    buf = Buf(b"r" * 100_000)
    ref = weakref.ref(buf)
    tracker = a.send(buf, copy=False, track=True)
    del buf
    assert b.recv(copy=False).bytes == b"r" * 100_000
    tracker.wait(5)
    gc.collect()
    assert ref() is None
