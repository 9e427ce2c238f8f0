# SPDX-License-Identifier: BSD-3-Clause
"""The pytest plugin every distribution's conftest.py loads
(pytest_plugins = ["zmq_testkit.fixtures"]): a fresh context, a factory of
connected pairs, and one of child processes that are reaped after the test."""

import pytest

import zmq
from zmq_testkit.processes import Child
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


@pytest.fixture
def spawn():
    """spawn(argv, ready=None, **kwargs) -> a started Child; every child
    still running when the test ends (passed or failed) is killed and
    reaped."""
    children = []

    def start(argv, **kwargs):
        child = Child(argv, **kwargs)
        children.append(child)
        return child

    yield start
    for child in children:
        child.kill()
