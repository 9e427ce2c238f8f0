# SPDX-License-Identifier: BSD-3-Clause
"""Shared fixtures: fresh contexts, connected socket pairs, deadlines.

Every socket made here has linger 0 and 5 s send/receive timeouts, so a test
that goes wrong fails with zmq.Again instead of hanging.
"""

import os
import time

import pytest

import zmq

TIMEOUT_MS = 5000
TRANSPORTS = ["inproc", "ipc", "tcp"]


def configure(sock, timeout_ms=TIMEOUT_MS):
    sock.linger = 0
    sock.rcvtimeo = timeout_ms
    sock.sndtimeo = timeout_ms
    return sock


@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


@pytest.fixture
def endpoint(tmp_path, request):
    """A fresh endpoint factory: endpoint('tcp') -> 'tcp://127.0.0.1:*'."""
    counter = iter(range(1_000_000))

    def make(transport):
        n = next(counter)
        if transport == "inproc":
            return f"inproc://{request.node.name}-{n}"
        if transport == "ipc":
            return f"ipc://{tmp_path}/s{n}"
        if transport == "tcp":
            return "tcp://127.0.0.1:*"
        raise ValueError(transport)

    return make


@pytest.fixture
def pair(ctx, endpoint):
    """pair(bind_type, connect_type, transport='tcp') -> (bound, connected)."""

    def make(bind_type, connect_type, transport="tcp"):
        a = configure(ctx.socket(bind_type))
        a.bind(endpoint(transport))
        b = configure(ctx.socket(connect_type))
        b.connect(a.last_endpoint.decode())
        return a, b

    return make


def wait_for(predicate, timeout=TIMEOUT_MS / 1000, interval=0.01):
    """Poll predicate() until it is true or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def sync_pub_sub(pub, sub, topic=b""):
    """Publish until the subscriber sees a message, so later sends arrive
    (a SUB misses whatever is published before its subscription lands)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        pub.send(topic + b"sync")
        if sub.poll(20):
            while sub.poll(50):
                sub.recv()
            return
    raise AssertionError("subscription never reached the publisher")


VARIANT = os.environ.get("ZMQ_TEST_VARIANT", "")
needs_draft = pytest.mark.skipif(not zmq.DRAFT_API, reason="needs libzmq's draft API")
