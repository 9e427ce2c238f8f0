# SPDX-License-Identifier: BSD-3-Clause
"""Socket: endpoints, sending and receiving, polling, shadows, threads."""

import copy
import threading
import time

import pytest
from zmq_testkit import TRANSPORTS, configure, make_socket, wait_for

import zmq


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_send_recv_over_each_transport(pair, transport):
    a, b = pair(zmq.PAIR, zmq.PAIR, transport)
    b.send(b"hello")
    assert a.recv() == b"hello"
    a.send(bytearray(b"back"))
    assert b.recv() == b"back"
    a.send(memoryview(b"view"))
    assert b.recv() == b"view"


def test_bind_connect_unbind_disconnect(ctx):
    a = configure(ctx.socket(zmq.PULL))
    port = a.bind_to_random_port("tcp://127.0.0.1")
    url = f"tcp://127.0.0.1:{port}"
    b = make_socket(ctx, zmq.PUSH, connect=url)
    b.send(b"1")
    assert a.recv() == b"1"
    b.disconnect(url)
    a.unbind(url)
    with pytest.raises(zmq.ZMQError):
        a.unbind(url)
    # the port is free again once libzmq's I/O thread has closed it
    c = configure(ctx.socket(zmq.PULL))
    assert wait_for(lambda: _try_bind(c, url))


def _try_bind(sock, url):
    try:
        sock.bind(url)
    except zmq.ZMQError as e:
        assert e.errno == zmq.EADDRINUSE
        return False
    return True


def test_bind_context_manager_unbinds(ctx):
    a = configure(ctx.socket(zmq.PULL))
    with a.bind("tcp://127.0.0.1:0") as bound:
        assert bound is a
        url = a.last_endpoint.decode()
        assert url.startswith("tcp://127.0.0.1:")
    other = configure(ctx.socket(zmq.PULL))
    assert wait_for(lambda: _try_bind(other, url))


def test_connect_context_manager_disconnects(ctx):
    a = make_socket(ctx, zmq.PULL, bind="inproc://cm")
    b = configure(ctx.socket(zmq.PUSH))
    with b.connect("inproc://cm"):
        b.send(b"x")
        assert a.recv() == b"x"
    with pytest.raises(zmq.ZMQError):
        b.disconnect("inproc://cm")


def test_bind_to_random_port_ranges(ctx):
    s = configure(ctx.socket(zmq.PULL))
    port = s.bind_to_random_port("tcp://127.0.0.1", min_port=40000, max_port=41000)
    assert 40000 <= port < 41000
    assert s.last_endpoint == f"tcp://127.0.0.1:{port}".encode()
    # The taken port comes from the kernel: a fixed one can be held by any
    # other process's ephemeral connection.
    blocker = make_socket(ctx, zmq.PULL, bind="tcp://127.0.0.1:*")
    taken = int(blocker.last_endpoint.rsplit(b":", 1)[1])
    t = configure(ctx.socket(zmq.PULL))
    with pytest.raises(zmq.ZMQBindError):
        t.bind_to_random_port("tcp://127.0.0.1", min_port=taken, max_port=taken + 1, max_tries=3)
    blocker.close()


def test_noblock_raises_again(pair):
    a, b = pair(zmq.PULL, zmq.PUSH)
    with pytest.raises(zmq.Again) as info:
        a.recv(zmq.NOBLOCK)
    assert info.value.errno == zmq.EAGAIN
    with pytest.raises(zmq.Again):
        a.recv(flags=zmq.DONTWAIT)


def test_rcvtimeo_raises_again_after_the_timeout(ctx):
    s = configure(ctx.socket(zmq.PULL), timeout_ms=200)
    s.bind("inproc://timeout")
    t0 = time.monotonic()
    with pytest.raises(zmq.Again):
        s.recv()
    elapsed = time.monotonic() - t0
    assert 0.15 < elapsed < 3


def test_recv_after_a_recv_that_waited_keeps_flags_and_timeout(pair):
    # waits leave no state behind: after recv() calls that timed out,
    # NOBLOCK, RCVTIMEO and a waiting message still behave
    a, b = pair(zmq.PAIR, zmq.PAIR)
    a.rcvtimeo = 50
    for _ in range(3):
        with pytest.raises(zmq.Again):
            a.recv()
        with pytest.raises(zmq.Again):
            a.recv(zmq.NOBLOCK)
    with pytest.raises(zmq.Again):
        a.recv()
    b.send(b"waiting already")
    assert a.recv() == b"waiting already"
    with pytest.raises(zmq.Again):
        a.recv_multipart()
    b.send_multipart([b"x", b"y"])
    assert a.recv_multipart(copy=False)[1].bytes == b"y"


def test_sndtimeo_raises_again_without_peer(ctx):
    s = configure(ctx.socket(zmq.PUSH), timeout_ms=100)
    s.bind("inproc://no-peer")
    with pytest.raises(zmq.Again):
        s.send(b"nobody there")


def test_multipart_round_trip(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    parts = [b"a", b"", bytearray(b"c" * 100), memoryview(b"d"), zmq.Frame(b"e")]
    b.send_multipart(parts)
    assert a.recv_multipart() == [b"a", b"", b"c" * 100, b"d", b"e"]
    b.send_multipart(iter([b"gen", b"erator"]))
    frames = a.recv_multipart(copy=False)
    assert [f.bytes for f in frames] == [b"gen", b"erator"]
    assert [f.more for f in frames] == [True, False]


def test_multipart_checks_every_part_before_sending(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    with pytest.raises(TypeError, match="part 1"):
        b.send_multipart([b"ok", "not bytes", b"ok"])
    with pytest.raises(TypeError, match="part 2"):
        b.send_multipart([b"ok", b"ok", 42])
    with pytest.raises(ValueError):
        b.send_multipart([])
    # nothing half-sent: the next message arrives whole and alone
    b.send_multipart([b"x", b"y"])
    assert a.recv_multipart() == [b"x", b"y"]
    assert a.poll(50) == 0


def test_send_more_flag_and_rcvmore(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    b.send(b"first", zmq.SNDMORE)
    b.send(b"last")
    assert a.recv() == b"first"
    assert a.rcvmore
    assert a.getsockopt(zmq.RCVMORE) == 1
    assert a.recv() == b"last"
    assert not a.rcvmore


def test_strings(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    b.send_string("héllo ✓")
    assert a.recv_string() == "héllo ✓"
    b.send_string("latin", encoding="latin-1")
    assert a.recv() == b"latin"
    b.send_string("ü", encoding="utf-16")
    assert a.recv_string(encoding="utf-16") == "ü"
    b.send_unicode("alias")
    assert a.recv_unicode() == "alias"
    with pytest.raises(TypeError):
        b.send_string(b"bytes")
    b.send(b"\xff\xfe invalid utf-8 \xc3")
    with pytest.raises(UnicodeDecodeError):
        a.recv_string()


def test_recv_into(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    b.send(b"0123456789")
    buf = bytearray(4)
    assert a.recv_into(buf) == 10  # full size reported, buffer truncated
    assert buf == b"0123"
    b.send(b"abcdef")
    buf = bytearray(10)
    assert a.recv_into(buf, nbytes=3) == 6
    assert buf[:3] == b"abc" and buf[3:] == bytes(7)
    b.send(b"zz")
    view = memoryview(bytearray(8))
    assert a.recv_into(view[2:], flags=zmq.NOBLOCK if a.poll(5000) else 0) == 2
    assert bytes(view[2:4]) == b"zz"
    with pytest.raises(ValueError):
        a.recv_into(bytearray(2), nbytes=5)
    with pytest.raises(ValueError):
        a.recv_into(bytearray(2), nbytes=-1)
    # a read-only or strided buffer is a BufferError (as in PyZMQ), an
    # object without the buffer interface a TypeError
    with pytest.raises(BufferError):
        a.recv_into(b"read-only bytes")
    with pytest.raises(BufferError):
        a.recv_into(memoryview(bytearray(10))[::2])
    with pytest.raises(TypeError):
        a.recv_into("text")
    with pytest.raises(zmq.Again):
        a.recv_into(bytearray(2), flags=zmq.NOBLOCK)
    # receiving into an empty buffer discards the message
    b.send(b"discard me")
    assert a.recv_into(bytearray()) == 10
    assert a.poll(50) == 0


def test_recv_into_numpy(pair):
    np = pytest.importorskip("numpy")
    a, b = pair(zmq.PAIR, zmq.PAIR)
    src = np.arange(16, dtype=np.int32)
    b.send(src)
    dst = np.zeros(16, dtype=np.int32)
    assert a.recv_into(dst) == src.nbytes
    assert (dst == src).all()


def test_copy_false_gives_frames(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    b.send(b"frame me")
    f = a.recv(copy=False)
    assert isinstance(f, zmq.Frame)
    assert f.bytes == b"frame me"
    assert bytes(f.buffer) == b"frame me"
    # a received frame owns its memory: writable, as in PyZMQ
    f.buffer[0:5] = b"FRAME"
    assert bytes(f.buffer) == b"FRAME me"
    # one sharing an immutable bytes is not
    assert zmq.Frame(b"y" * 100_000).buffer.readonly


def test_track_returns_tracker(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    payload = b"x" * (zmq.COPY_THRESHOLD * 2)
    tracker = b.send(payload, copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    assert a.recv() == payload
    tracker.wait(5)
    assert tracker.done
    # copy=True sends ignore track, as in PyZMQ
    assert b.send(b"y", track=True) is None
    a.recv()


def test_poll(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    assert a.poll(0) == 0
    assert a.poll(50) == 0
    assert b.poll(1000, zmq.POLLOUT) == zmq.POLLOUT
    b.send(b"x")
    assert a.poll(5000) == zmq.POLLIN
    assert a.poll(0, zmq.POLLIN | zmq.POLLOUT) == zmq.POLLIN | zmq.POLLOUT
    a.recv()
    a.close()
    with pytest.raises(zmq.ZMQError):
        a.poll(0)


def test_fileno_and_events(pair):
    import select

    a, b = pair(zmq.PAIR, zmq.PAIR)
    fd = a.fileno()
    assert isinstance(fd, int) and fd >= 0
    assert a.getsockopt(zmq.FD) == fd
    b.send(b"wake")
    # the fd is edge-triggered: once readable, EVENTS says what is ready
    r, _, _ = select.select([fd], [], [], 5)
    assert r == [fd]
    assert wait_for(lambda: a.events & zmq.POLLIN)
    assert a.recv() == b"wake"


def test_type_and_repr(ctx):
    s = ctx.socket(zmq.DEALER)
    assert s.type == zmq.DEALER
    assert s.type is zmq.SocketType.DEALER
    assert s.socket_type == zmq.DEALER
    assert s.getsockopt(zmq.TYPE) == zmq.DEALER
    assert "DEALER" in repr(s)
    assert s.context is ctx
    s.close()
    assert "closed" in repr(s)


def test_close_and_closed(ctx):
    s = ctx.socket(zmq.PUSH)
    assert not s.closed
    s.close(linger=0)
    assert s.closed
    s.close()  # idempotent
    with zmq.Context() as c2:
        with c2.socket(zmq.PUSH) as t:
            assert not t.closed
        assert t.closed


def test_shadow_socket(ctx, pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    shadow = zmq.Socket.shadow(a.underlying)
    assert shadow.underlying == a.underlying
    assert shadow.type == zmq.PAIR
    b.send(b"to shadow")
    assert shadow.recv() == b"to shadow"
    s2 = zmq.Socket(a)
    assert s2.underlying == a.underlying
    assert s2.context is ctx
    s3 = copy.copy(a)
    assert s3.underlying == a.underlying
    del shadow, s2, s3
    # dropping shadows leaves the original open
    b.send(b"still works")
    assert a.recv() == b"still works"
    a.close()


def test_copy_threshold_attribute(ctx):
    s = ctx.socket(zmq.PUSH)
    assert s.copy_threshold == zmq.COPY_THRESHOLD
    s.copy_threshold = 10
    assert s.copy_threshold == 10
    t = zmq.Socket(ctx, zmq.PUSH, copy_threshold=3)
    assert t.copy_threshold == 3
    s.close()
    t.close()


def test_blocking_recv_releases_the_gil(ctx):
    pull = make_socket(ctx, zmq.PULL, bind="inproc://gil")
    push = make_socket(ctx, zmq.PUSH, connect="inproc://gil")
    received = []
    t = threading.Thread(target=lambda: received.append(pull.recv()))
    t.start()
    # this thread runs Python code while the other is blocked in recv
    counted = 0
    t0 = time.monotonic()
    while time.monotonic() - t0 < 0.2:
        counted += 1
    assert counted > 1000
    assert t.is_alive()
    push.send(b"unblock")
    t.join(5)
    assert received == [b"unblock"]


def test_many_sockets_many_threads(ctx):
    pull = make_socket(ctx, zmq.PULL, bind="inproc://fan-in")
    n_threads, per_thread = 4, 500

    def produce(i):
        push = make_socket(ctx, zmq.PUSH, connect="inproc://fan-in")
        for j in range(per_thread):
            push.send_multipart([b"%d" % i, b"%d" % j])
        push.close()

    threads = [threading.Thread(target=produce, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    seen = {}
    for _ in range(n_threads * per_thread):
        who, j = pull.recv_multipart()
        seen.setdefault(who, []).append(int(j))
    for t in threads:
        t.join(5)
    assert len(seen) == n_threads
    # per-peer order is kept
    assert all(v == list(range(per_thread)) for v in seen.values())
