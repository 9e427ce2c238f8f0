# SPDX-License-Identifier: BSD-3-Clause
"""Green Poller, select and zmq_poll over green sockets, plain zmq sockets
and file descriptors."""

import os
import socket
import time

import gevent
import pytest
from conftest import WAIT_S, connected, green_pair, hub_turn
from zmq_testkit import raw_fds

import zmq as plain_zmq
import zmq.green as zmq


def poller_wakes_on(a, b):
    """A green Poller waiting for b (started before anything is sent) wakes
    when a sends."""
    poller = zmq.Poller()
    poller.register(b, zmq.POLLIN)
    waiting = gevent.spawn(poller.poll, WAIT_S * 1000)
    hub_turn()  # the greenlet just spawned is waiting now
    assert not waiting.ready()
    a.send(b"x")
    assert waiting.get(timeout=WAIT_S) == [(b, zmq.POLLIN)]


def test_poller_wakes_on_green_socket(green_ctx, transport, bounded):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, transport)
    poller_wakes_on(a, b)


def test_poller_mixes_sockets_and_raw_fds(green_ctx, transport, bounded):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, transport)
    with raw_fds() as (r, w, left, right):
        poller = zmq.Poller()
        poller.register(b, zmq.POLLIN)
        poller.register(r, zmq.POLLIN)
        poller.register(left, zmq.POLLIN)
        # a raw fd wakes the poller
        waiting = gevent.spawn(poller.poll, WAIT_S * 1000)
        hub_turn()  # the greenlet just spawned is waiting now
        assert not waiting.ready()
        gevent.spawn(os.write, w, b"!")
        assert waiting.get(timeout=WAIT_S) == [(r, zmq.POLLIN)]
        os.read(r, 1)
        # an object with fileno() does too (reported by its fd, as zmq's is)
        waiting = gevent.spawn(poller.poll, WAIT_S * 1000)
        hub_turn()  # the greenlet just spawned is waiting now
        right.send(b"?")
        assert waiting.get(timeout=WAIT_S) == [(left.fileno(), zmq.POLLIN)]
        left.recv(1)
        # and the socket; all three at once are all reported
        a.send(b"z")
        os.write(w, b"!")
        right.send(b"?")
        with gevent.Timeout(WAIT_S):
            while len(ready := dict(poller.poll(WAIT_S * 1000))) < 3:
                pass
        assert ready == {b: zmq.POLLIN, r: zmq.POLLIN, left.fileno(): zmq.POLLIN}
        # POLLOUT on a raw fd
        out = zmq.Poller()
        out.register(w, zmq.POLLOUT)
        assert out.poll(WAIT_S * 1000) == [(w, zmq.POLLOUT)]


def test_poller_with_a_plain_zmq_socket(bounded):
    # a zmq-core socket (not green) in a green poller: watched through its FD
    plain_ctx = plain_zmq.Context()
    try:
        a = plain_ctx.socket(zmq.PAIR)
        b = plain_ctx.socket(zmq.PAIR)
        a.linger = b.linger = 0
        a.bind("inproc://zg-plain")
        b.connect("inproc://zg-plain")
        poller_wakes_on(a, b)
        a.close()
        b.close()
    finally:
        plain_ctx.term()


def test_poll_timeouts(green_ctx, bounded):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, "inproc")
    poller = zmq.Poller()
    poller.register(b, zmq.POLLIN)
    assert poller.poll(0) == []
    t0 = time.monotonic()
    assert poller.poll(120) == []
    assert 0.11 <= time.monotonic() - t0 < 2
    with pytest.raises(gevent.Timeout):
        with gevent.Timeout(0.05):
            poller.poll()  # None: forever, until something interrupts it
    connected(a, b)


def test_many_pollers_on_one_socket_all_wake(green_ctx, bounded):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, "tcp")
    pollers = []
    for _ in range(50):
        p = zmq.Poller()
        p.register(b, zmq.POLLIN)
        pollers.append(gevent.spawn(p.poll, WAIT_S * 1000))
    hub_turn()  # the greenlet just spawned is waiting now
    a.send(b"seen by all")
    gevent.joinall(pollers, timeout=WAIT_S, raise_error=True)
    assert all(g.value == [(b, zmq.POLLIN)] for g in pollers)


def test_select_and_zmq_poll(green_ctx, bounded):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, "inproc")
    waiting = gevent.spawn(zmq.select, [b], [], [], WAIT_S)
    hub_turn()  # the greenlet just spawned is waiting now
    assert not waiting.ready()
    a.send(b"x")
    assert waiting.get(timeout=WAIT_S) == ([b], [], [])
    assert zmq.select([a], [a], [], 0) == ([], [a], [])
    assert zmq.zmq_poll([(b, zmq.POLLIN)], 0) == [(b, zmq.POLLIN)]
    b.recv()
    t0 = time.monotonic()
    assert zmq.zmq_poll([(b, zmq.POLLIN)], 100) == []
    assert time.monotonic() - t0 >= 0.09
    # objects with fileno() come back as themselves from select
    left, right = socket.socketpair()
    right.send(b"!")
    assert zmq.select([left, b], [], [], WAIT_S) == ([left], [], [])
    left.close()
    right.close()


def test_poller_rejects_bad_objects():
    poller = zmq.Poller()
    with pytest.raises(TypeError):
        poller.register(object(), zmq.POLLIN)
        poller.poll(0)
