# SPDX-License-Identifier: BSD-3-Clause
"""Poller, zmq.select and zmq.zmq_poll over sockets and file descriptors."""

import os
import time

import pytest
from zmq_testkit import raw_fds

import zmq


def test_poller_register_poll_unregister(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    poller.register(b)  # default: POLLIN | POLLOUT
    assert a in poller and b in poller
    events = dict(poller.poll(1000))
    assert events == {b: zmq.POLLOUT}
    b.send(b"x")
    deadline = time.monotonic() + 5
    events = {}
    while a not in events and time.monotonic() < deadline:
        events = dict(poller.poll(100))
    assert events[a] == zmq.POLLIN
    poller.modify(b, zmq.POLLIN)
    assert dict(poller.poll(0)) == {a: zmq.POLLIN}
    poller.unregister(a)
    assert a not in poller
    assert poller.poll(0) == []
    poller.register(b, 0)  # flags 0 unregisters
    assert b not in poller
    assert poller.sockets == []
    assert a.recv() == b"x"


def test_poll_timeout_is_milliseconds(pair):
    a, _ = pair(zmq.PULL, zmq.PUSH)
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    t0 = time.monotonic()
    assert poller.poll(150) == []
    assert 0.1 < time.monotonic() - t0 < 3
    assert poller.poll(0) == []


def test_poller_with_raw_fds_and_fileno_objects(pair):
    a, b = pair(zmq.PULL, zmq.PUSH)
    with raw_fds() as (r, w, left, right):
        poller = zmq.Poller()
        poller.register(r, zmq.POLLIN)
        poller.register(left, zmq.POLLIN)
        poller.register(a, zmq.POLLIN)
        assert poller.poll(50) == []
        os.write(w, b"!")
        right.send(b"?")
        b.send(b"z")
        seen = {}
        deadline = time.monotonic() + 5
        while len(seen) < 3 and time.monotonic() < deadline:
            seen.update(poller.poll(100))
        # sockets come back as themselves, fds and fileno() objects as int
        # fds (as PyZMQ and select.poll report them)
        assert seen == {r: zmq.POLLIN, left.fileno(): zmq.POLLIN, a: zmq.POLLIN}


def test_select(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    readable, writable, errored = zmq.select([a], [b], [], timeout=1)
    assert (readable, writable, errored) == ([], [b], [])
    b.send(b"x")
    readable, _, _ = zmq.select([a], [], [], timeout=5)
    assert readable == [a]
    assert zmq.select([b], [], [], timeout=0) == ([], [], [])


def test_zmq_poll(pair):
    a, b = pair(zmq.PAIR, zmq.PAIR)
    b.send(b"x")
    deadline = time.monotonic() + 5
    ready = []
    while not ready and time.monotonic() < deadline:
        ready = zmq.zmq_poll([(a, zmq.POLLIN), (b, zmq.POLLIN)], 100)
    assert ready == [(a, zmq.POLLIN)]
    assert zmq.zmq_poll([], 0) == []


def test_poll_closed_socket_raises(ctx):
    s = ctx.socket(zmq.PULL)
    p = zmq.Poller()
    p.register(s, zmq.POLLIN)
    s.close()
    with pytest.raises(zmq.ZMQError) as info:
        p.poll(0)
    assert info.value.errno == zmq.ENOTSOCK


def test_poller_bad_fd():
    p = zmq.Poller()
    p.register(-1, zmq.POLLIN)
    with pytest.raises(ValueError):
        p.poll(0)
