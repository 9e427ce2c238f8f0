# SPDX-License-Identifier: BSD-3-Clause
"""close() from another thread than the one running the socket's loop
(issue #22): the tasks waiting on the socket fail with ZMQError(ENOTSOCK)
at once, never hang and never crash, whatever the moment of the close."""

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
