# SPDX-License-Identifier: BSD-3-Clause
"""The pytest plugin every distribution's conftest.py loads
(pytest_plugins = ["zmq_testkit.fixtures"]): a fresh context and a factory
of connected pairs."""

import pytest

import zmq
from zmq_testkit.sockets import TIMEOUT_MS, connected_pair


@pytest.fixture
def ctx():
    """A fresh zmq.Context, destroyed with linger 0 after the test."""
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


@pytest.fixture
def pair(ctx):
    """pair(bind_type, connect_type, transport='tcp', ctx=<the ctx fixture>)
    -> (bound, connected), linger 0 and timeouts; `transport` is a transport
    name or an endpoint. Another context (async, green) is passed as ctx=."""

    def make(bind_type, connect_type, transport="tcp", *, ctx=ctx, timeout_ms=TIMEOUT_MS):
        return connected_pair(ctx, bind_type, connect_type, transport, timeout_ms)

    return make
