# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures: the test kit's (endpoint over tcp, ipc and inproc is its) and
zmq-green's own: a green context, connected pairs without socket timeouts,
the transport parameter, a handshake, a hub turn, and a bound on every wait
(gevent.Timeout)."""

import gevent
import pytest
from zmq_testkit import connected_pair

import zmq.green as zmq

pytest_plugins = ["zmq_testkit.fixtures"]

# seconds any single wait in a test may take before the test fails
WAIT_S = 10


@pytest.fixture
def green_ctx():
    """A fresh zmq.green.Context, destroyed with linger 0 after the test."""
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


@pytest.fixture(params=["tcp", "ipc", "inproc"])
def transport(request):
    return request.param


def green_pair(ctx, bind_type, connect_type, transport):
    """The kit's connected_pair without socket timeouts: zmq.green warns when
    RCVTIMEO is set (it honours it, where PyZMQ's green sockets ignored it),
    and every wait here is bounded by gevent instead (the bounded fixture,
    WAIT_S)."""
    return connected_pair(ctx, bind_type, connect_type, transport, timeout_ms=None)


def connected(a, b):
    """Wait until messages flow from PAIR/PUSH-like a to b: a handshake."""
    with gevent.Timeout(WAIT_S):
        a.send(b"hello")
        assert b.recv() == b"hello"


def hub_turn():
    """Let every greenlet that can run do so (callbacks included): a greenlet
    spawned before is now waiting at its first blocking call."""
    gevent.sleep(0)
    gevent.sleep(0)


@pytest.fixture
def bounded():
    """Every test body gets a gevent.Timeout: a lost wake-up fails, not hangs."""
    with gevent.Timeout(WAIT_S * 3):
        yield
