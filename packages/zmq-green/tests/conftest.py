# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures for zmq-green: a green context, endpoints over tcp, ipc and
inproc, connected pairs, and a bound on every wait (gevent.Timeout)."""

import os
import tempfile
import uuid

import gevent
import pytest

import zmq.green as zmq

# seconds any single wait in a test may take before the test fails
WAIT_S = 10


@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


@pytest.fixture(params=["tcp", "ipc", "inproc"])
def transport(request):
    return request.param


def endpoint(transport):
    """A fresh endpoint to bind (tcp: a random port, read back with
    last_endpoint)."""
    name = uuid.uuid4().hex[:10]
    if transport == "tcp":
        return "tcp://127.0.0.1:*"
    if transport == "ipc":
        return f"ipc://{os.path.join(tempfile.gettempdir(), 'zg-' + name)}"
    return f"inproc://zg-{name}"


def pair(ctx, transport, bind_type, connect_type):
    """(bound, connected) sockets of the given types, linger 0."""
    a = ctx.socket(bind_type)
    a.linger = 0
    a.bind(endpoint(transport))
    b = ctx.socket(connect_type)
    b.linger = 0
    b.connect(a.last_endpoint.decode())
    return a, b


def connected(a, b):
    """Wait until messages flow from PAIR/PUSH-like a to b: a handshake."""
    with gevent.Timeout(WAIT_S):
        a.send(b"hello")
        assert b.recv() == b"hello"


@pytest.fixture
def bounded():
    """Every test body gets a gevent.Timeout: a lost wake-up fails, not hangs."""
    with gevent.Timeout(WAIT_S * 3):
        yield
