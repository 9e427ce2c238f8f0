# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures: the test kit's (ctx, pair, ...; connected_pair and endpoint are
its too) and zmq-eventloop's own: every async test runs on plain asyncio and
on Tornado's IOLoop (the same suite over both, as the house style asks), with
an async context."""

import asyncio

import pytest
from zmq_testkit import connected_pair

import zmq
import zmq.asyncio

pytest_plugins = ["zmq_testkit.fixtures"]


@pytest.fixture(params=["asyncio", "tornado"])
def run(request):
    """run(coroutine_function) -> its result, on a fresh loop of each kind."""

    def runner(coro_fn, timeout=60):
        if request.param == "asyncio":
            return asyncio.run(asyncio.wait_for(coro_fn(), timeout))
        from tornado.ioloop import IOLoop

        loop = IOLoop(make_current=False)
        try:
            return loop.run_sync(coro_fn, timeout=timeout)
        finally:
            loop.close(all_fds=False)

    runner.kind = request.param
    return runner


@pytest.fixture
def actx():
    ctx = zmq.asyncio.Context()
    yield ctx
    ctx.destroy(linger=0)


@pytest.fixture
def pull_push(actx):
    """An inproc PULL and the PUSH connected to it, of actx: its destroy()
    closes them after the test."""
    return connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")


# zmq.anyio's tests (test_anyio*.py) run on both of anyio's backends, through
# anyio's pytest plugin (its tests are marked pytest.mark.anyio)
@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request):
    return request.param


@pytest.fixture
def anyctx():
    """A zmq.anyio.Context, destroyed with linger 0 after the test."""
    import zmq.anyio  # the eventloop envs install anyio and trio: never skipped

    ctx = zmq.anyio.Context()
    yield ctx
    ctx.destroy(linger=0)


def sockets_to_close_under_waiters(ctx, poller_class):
    """For the tests of closing a socket that operations wait on: a PULL
    with its connected PUSH, a second such pair whose PULL a poller
    (*poller_class*) watches with the first, and a PUSH with no peer, on
    which sends wait. Returns (pull, push, other, other_push, lonely, poller)."""
    pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
    other, other_push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
    lonely = ctx.socket(zmq.PUSH)
    lonely.linger = 0
    lonely.bind(f"inproc://nobody-{id(lonely)}")
    poller = poller_class()
    poller.register(pull, zmq.POLLIN)
    poller.register(other, zmq.POLLIN)
    return pull, push, other, other_push, lonely, poller
