# SPDX-License-Identifier: BSD-3-Clause
"""close(), Context.destroy() and Context.term() from another thread than
the one running the socket's loop (issue #22): the tasks waiting on the
socket fail at once with ZMQError(ENOTSOCK), or ETERM after term(), never
hang and never crash, whatever the moment."""

import asyncio
import random
import threading
import time

import pytest

import zmq
import zmq.asyncio
import zmq.eventloop.future

ROUNDS = 1000

WAITS = {
    "recv": lambda sock, poller: sock.recv(),
    "recv_multipart": lambda sock, poller: sock.recv_multipart(),
    "poll": lambda sock, poller: sock.poll(),
    "Poller.poll": lambda sock, poller: poller.poll(),
}


@pytest.fixture
def loop_in_thread():
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


@pytest.mark.parametrize("module", [zmq.asyncio, zmq.eventloop.future])
@pytest.mark.parametrize("wait", list(WAITS))
def test_close_from_another_thread_fails_the_waiting_task(loop_in_thread, module, wait):
    rng = random.Random(22)
    ctx = module.Context()
    worst = 0.0
    try:
        for n in range(ROUNDS):
            about_to_wait = threading.Event()
            sockets = {}

            async def waiter(n=n, sockets=sockets, about_to_wait=about_to_wait):
                sock = ctx.socket(zmq.PULL)
                sock.linger = 0
                sock.bind(f"inproc://close-{n}")
                poller = module.Poller()
                poller.register(sock, zmq.POLLIN)
                sockets["sock"] = sock
                about_to_wait.set()
                try:
                    await WAITS[wait](sock, poller)
                except zmq.ZMQError as e:
                    return e.errno, time.monotonic()
                return "returned", None

            task = asyncio.run_coroutine_threadsafe(waiter(), loop_in_thread)
            assert about_to_wait.wait(5)
            spin_until = time.perf_counter() + rng.uniform(0, 300e-6)
            while time.perf_counter() < spin_until:
                pass  # the random offset itself, not a wait for anything
            closed_at = time.monotonic()
            sockets["sock"].close()
            what, when = task.result(timeout=5)
            assert what == zmq.ENOTSOCK, (n, what)
            assert sockets["sock"].closed
            worst = max(worst, when - closed_at)
    finally:
        ctx.term()
    assert worst < 0.1, f"a waiting task saw the close after {worst * 1000:.1f} ms"


# the context's end from another thread: destroy() closes the sockets (the
# waiters fail with ENOTSOCK), term() ends them with ETERM (a waiter that
# sees it closes its socket, as a program must for term() to return)
ENDS = {"Context.destroy": zmq.ENOTSOCK, "Context.term": zmq.ETERM}


@pytest.mark.parametrize("module", [zmq.asyncio, zmq.eventloop.future])
@pytest.mark.parametrize("wait", ["recv", "Poller.poll"])
@pytest.mark.parametrize("end", list(ENDS))
def test_context_end_from_another_thread_fails_the_waiting_task(loop_in_thread, module, wait,
                                                                end):
    rng = random.Random(22)
    worst = 0.0
    for n in range(ROUNDS):
        ctx = module.Context()
        about_to_wait = threading.Event()
        sockets = {}

        async def waiter(ctx=ctx, n=n, sockets=sockets, about_to_wait=about_to_wait):
            sock = ctx.socket(zmq.PULL)
            sock.linger = 0
            sock.bind(f"inproc://end-{n}")
            poller = module.Poller()
            poller.register(sock, zmq.POLLIN)
            sockets["sock"] = sock
            about_to_wait.set()
            try:
                await WAITS[wait](sock, poller)
            except zmq.ZMQError as e:
                if e.errno == zmq.ETERM:
                    sock.close()
                return e.errno, time.monotonic()
            return "returned", None

        task = asyncio.run_coroutine_threadsafe(waiter(), loop_in_thread)
        assert about_to_wait.wait(5)
        spin_until = time.perf_counter() + rng.uniform(0, 300e-6)
        while time.perf_counter() < spin_until:
            pass  # the random offset itself, not a wait for anything
        ended_at = time.monotonic()
        if end == "Context.destroy":
            ctx.destroy(linger=0)
        else:
            ctx.term()
        what, when = task.result(timeout=5)
        assert what == ENDS[end], (n, what)
        assert sockets["sock"].closed
        worst = max(worst, when - ended_at)
    assert worst < 0.1, f"a waiting task saw {end} after {worst * 1000:.1f} ms"
