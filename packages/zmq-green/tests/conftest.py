# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures: the test kit's (connected_pair and endpoint over tcp, ipc and
inproc are its) and zmq-green's own: a green context, the transport
parameter, a handshake, a hub turn, and a bound on every wait
(gevent.Timeout)."""

import gevent
import pytest

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
