# SPDX-License-Identifier: BSD-3-Clause
"""Green sockets: blocking calls suspend the calling greenlet only, over
tcp, ipc and inproc, with the timeouts of a plain socket."""

import time
import warnings
from array import array

import gevent
import pytest
from conftest import WAIT_S, connected, green_pair, hub_turn
from zmq_testkit import endpoint, instance_dict_made

import zmq as plain_zmq
import zmq.green as zmq


def ticker():
    """A greenlet counting hub turns: it runs only if nobody blocks the thread."""
    ticks = [0]

    def run():
        while True:
            ticks[0] += 1
            gevent.sleep(0.001)  # a real timer wait: the hub must keep turning

    return ticks, gevent.spawn(run)


def test_context_makes_green_sockets(green_ctx):
    with green_ctx.socket(zmq.PUSH) as s:
        assert type(s) is zmq.Socket
        assert isinstance(s, plain_zmq.Socket)  # still a zmq-core Socket
        assert "zmq.green.Socket(zmq.PUSH)" in repr(s)


def test_green_sockets_keep_no_instance_dict(green_ctx):
    # their own state is a slot: CPython 3.12+ reads methods (sock.recv)
    # through its cache only while the socket's __dict__ was never made
    sock = green_ctx.socket(zmq.DEALER)
    try:
        sock.linger = 0
        assert sock.linger == 0
        assert not instance_dict_made(sock)
    finally:
        sock.close()


def test_recv_waits_in_its_greenlet_only(green_ctx, transport, bounded):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, transport)
    connected(a, b)
    receiver = gevent.spawn(b.recv)
    ticks, tick = ticker()
    while ticks[0] < 20:  # the thing under test: the hub turns while recv waits
        gevent.sleep(0.001)
    assert not receiver.ready()
    a.send(b"late")
    assert receiver.get(timeout=WAIT_S) == b"late"
    tick.kill()


def test_send_at_hwm_waits_then_goes(green_ctx, transport, bounded):
    # no peer yet: a PUSH has nowhere to queue, so send must wait
    push = green_ctx.socket(zmq.PUSH)
    push.linger = 0
    sender = gevent.spawn(push.send, b"queued")
    hub_turn()  # the greenlet just spawned is waiting now
    assert not sender.ready()
    pull = green_ctx.socket(zmq.PULL)
    pull.linger = 0
    pull.bind(endpoint(transport))
    push.connect(pull.last_endpoint.decode())
    sender.get(timeout=WAIT_S)
    assert pull.recv() == b"queued"


def test_multipart_string_and_into(green_ctx, transport, bounded):
    a, b = green_pair(green_ctx, zmq.DEALER, zmq.DEALER, transport)
    got = gevent.spawn(b.recv_multipart)
    a.send_multipart([b"one", b"two", b"three"])
    assert got.get(timeout=WAIT_S) == [b"one", b"two", b"three"]
    got = gevent.spawn(b.recv_string)
    a.send_string("héllo")
    assert got.get(timeout=WAIT_S) == "héllo"
    buf = array("B", bytes(8))
    got = gevent.spawn(b.recv_into, buf)
    a.send(b"abcdefghij")
    assert got.get(timeout=WAIT_S) == 10
    assert buf.tobytes() == b"abcdefgh"
    frames = gevent.spawn(b.recv_multipart, copy=False)
    a.send_multipart([b"x", b"y"], copy=False)
    assert [f.bytes for f in frames.get(timeout=WAIT_S)] == [b"x", b"y"]


def test_noblock_raises_again(green_ctx, transport):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, transport)
    with pytest.raises(zmq.Again):
        b.recv(zmq.NOBLOCK)
    with pytest.raises(zmq.Again):
        b.recv_multipart(zmq.NOBLOCK)
    with pytest.raises(zmq.Again):
        b.recv_into(bytearray(4), flags=zmq.NOBLOCK)


def test_rcvtimeo_bounds_the_wait(green_ctx, transport, bounded):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, transport)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        b.rcvtimeo = 150
    ticks, tick = ticker()
    t0 = time.monotonic()
    with pytest.raises(zmq.Again):
        b.recv()
    elapsed = time.monotonic() - t0
    assert 0.14 <= elapsed < 2
    # the hub ran meanwhile
    assert ticks[0] > 10
    tick.kill()
    # and after a timeout the socket still works
    connected(a, b)


def test_sndtimeo_bounds_the_wait(green_ctx, bounded):
    push = green_ctx.socket(zmq.PUSH)
    push.linger = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        push.sndtimeo = 100
    t0 = time.monotonic()
    with pytest.raises(zmq.Again):
        push.send(b"nowhere")
    assert 0.09 <= time.monotonic() - t0 < 2
    push.close()


def test_timeo_options_warn_as_in_pyzmq(green_ctx):
    # PyZMQ's zmq.green warns that they do nothing; here they work, and the
    # warning says so (old green code may rely on waiting forever)
    with green_ctx.socket(zmq.REQ) as s:
        with pytest.warns(UserWarning, match="honours RCVTIMEO"):
            s.rcvtimeo = 5
        with pytest.warns(UserWarning, match="SNDTIMEO"):
            s.getsockopt(zmq.SNDTIMEO)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            s.linger = 0  # other options do not warn


def test_gevent_timeout_interrupts_and_socket_survives(green_ctx, transport, bounded):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, transport)
    with pytest.raises(gevent.Timeout):
        with gevent.Timeout(0.05):
            b.recv()
    connected(a, b)


def test_socket_poll(green_ctx, transport, bounded):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, transport)
    assert b.poll(0) == 0
    t0 = time.monotonic()
    assert b.poll(100) == 0
    assert time.monotonic() - t0 >= 0.09
    poller = gevent.spawn(b.poll, WAIT_S * 1000)
    hub_turn()  # the greenlet just spawned is waiting now
    assert not poller.ready()
    a.send(b"x")
    assert poller.get(timeout=WAIT_S) == zmq.POLLIN
    assert b.poll(0, zmq.POLLIN | zmq.POLLOUT) == zmq.POLLIN | zmq.POLLOUT
    assert b.recv() == b"x"


def test_close_wakes_waiters_with_enotsock(green_ctx, transport, bounded):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, transport)
    waiters = [gevent.spawn(b.recv) for _ in range(3)]
    hub_turn()  # the greenlet just spawned is waiting now
    b.close()
    for w in waiters:
        with pytest.raises(zmq.ZMQError) as info:
            w.get(timeout=WAIT_S)
        assert info.value.errno == zmq.ENOTSOCK


def test_shadow_is_green(green_ctx, transport, bounded):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, transport)
    shadow = zmq.Socket.shadow(b.underlying)
    assert type(shadow) is zmq.Socket
    got = gevent.spawn(shadow.recv)
    a.send(b"via shadow")
    assert got.get(timeout=WAIT_S) == b"via shadow"
