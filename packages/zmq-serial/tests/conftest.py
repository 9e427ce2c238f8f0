# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures: a fresh context and connected socket pairs with timeouts."""

import pytest

import zmq

TIMEOUT_MS = 5000


def configure(sock):
    sock.linger = 0
    sock.rcvtimeo = TIMEOUT_MS
    sock.sndtimeo = TIMEOUT_MS
    return sock


@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


@pytest.fixture(params=["inproc", "tcp"])
def pair(ctx, request):
    """(receiver, sender): a PAIR pair over inproc and over tcp."""
    a = configure(ctx.socket(zmq.PAIR))
    if request.param == "tcp":
        port = a.bind_to_random_port("tcp://127.0.0.1")
        url = f"tcp://127.0.0.1:{port}"
    else:
        url = f"inproc://serial-{id(a)}"
        a.bind(url)
    b = configure(ctx.socket(zmq.PAIR))
    b.connect(url)
    return a, b
