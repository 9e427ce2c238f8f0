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


def _one_round(loop, module, ctx, wait, name, act, rng):
    """A task on *loop* waits on a fresh PULL socket of *ctx* (with *wait*);
    after a random 0-300 us offset this thread runs act(sock). Returns the
    socket, what the task ended with (an errno, or "returned"), and how
    long after act it saw it. A task that sees ETERM closes its socket, as
    a program must for term() to return."""
    about_to_wait = threading.Event()
    sockets = {}

    async def waiter():
        sock = ctx.socket(zmq.PULL)
        sock.linger = 0
        sock.bind(f"inproc://{name}")
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

    task = asyncio.run_coroutine_threadsafe(waiter(), loop)
    assert about_to_wait.wait(5)
    spin_until = time.perf_counter() + rng.uniform(0, 300e-6)
    while time.perf_counter() < spin_until:
        pass  # the random offset itself, not a wait for anything
    acted_at = time.monotonic()
    act(sockets["sock"])
    what, when = task.result(timeout=5)
    return sockets["sock"], what, (when - acted_at) if when is not None else None


@pytest.mark.parametrize("module", [zmq.asyncio, zmq.eventloop.future])
@pytest.mark.parametrize("wait", list(WAITS))
def test_close_from_another_thread_fails_the_waiting_task(loop_in_thread, module, wait):
    rng = random.Random(22)
    ctx = module.Context()
    worst = 0.0
    try:
        for n in range(ROUNDS):
            sock, what, delay = _one_round(loop_in_thread, module, ctx, wait, f"close-{n}",
                                           lambda sock: sock.close(), rng)
            assert what == zmq.ENOTSOCK, (n, what)
            assert sock.closed
            worst = max(worst, delay)
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
        if end == "Context.destroy":
            def act(sock, ctx=ctx):
                ctx.destroy(linger=0)
        else:
            def act(sock, ctx=ctx):
                ctx.term()
        sock, what, delay = _one_round(loop_in_thread, module, ctx, wait, f"end-{n}", act, rng)
        assert what == ENDS[end], (n, what)
        assert sock.closed
        worst = max(worst, delay)
    assert worst < 0.1, f"a waiting task saw {end} after {worst * 1000:.1f} ms"
