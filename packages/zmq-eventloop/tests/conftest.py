# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures: every async test runs on plain asyncio and on Tornado's IOLoop
(the same suite over both, as the house style asks)."""

import asyncio
import uuid

import pytest

import zmq
import zmq.asyncio


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


def endpoint():
    return f"inproc://ev-{uuid.uuid4().hex[:8]}"


def pair(ctx, a_type, b_type, url=None):
    url = url or endpoint()
    a = ctx.socket(a_type)
    a.linger = 0
    a.bind(url)
    b = ctx.socket(b_type)
    b.linger = 0
    b.connect(a.last_endpoint.decode())  # the real port of a tcp://...:* bind
    return a, b
