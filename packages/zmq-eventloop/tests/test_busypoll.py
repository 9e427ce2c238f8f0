# SPDX-License-Identifier: BSD-3-Clause
"""Adaptive busy-polling (zmq.eventloop.busypoll): a loop whose socket waits
keeps turning for the budget and so sees a quick reply without sleeping; a
spin that nothing answered makes later waits sleep; 0 turns it off."""

import asyncio
import resource

import pytest
from zmq_testkit import connected_pair, loop_turns

import zmq
import zmq.asyncio
from zmq.eventloop import busypoll
from zmq.eventloop.zmqstream import ZMQStream


def _sleeps():
    # voluntary context switches of this thread: each is a sleep in the
    # loop's select() (or in anything else that blocks)
    return resource.getrusage(resource.RUSAGE_THREAD).ru_nvcsw


async def _req_rep_rounds(actx, rounds):
    rep, req = connected_pair(actx, zmq.REP, zmq.REQ, "tcp")
    rep.rcvtimeo = req.rcvtimeo = 10_000

    async def serve():
        for _ in range(rounds + 20):
            await rep.send(await rep.recv())

    server = asyncio.ensure_future(serve())
    for _ in range(20):  # connected and warm
        await req.send(b"w")
        await req.recv()
    before = _sleeps()
    for i in range(rounds):
        await req.send(b"%d" % i)
        assert await req.recv() == b"%d" % i
    slept = _sleeps() - before
    await asyncio.wait_for(server, 10)
    rep.close()
    req.close()
    return slept


@pytest.fixture
def budget():
    """Restore the program-wide default after the test."""
    saved = busypoll.get_busy_poll()
    yield busypoll.set_busy_poll
    busypoll.set_busy_poll(saved)


def test_replies_within_the_budget_are_seen_without_sleeping(run, actx, budget):
    # Without busy-polling an idle machine sleeps about twice per round trip
    # here (the request and the reply each cross libzmq's I/O thread); a
    # loaded one less often, as the reply may be in before the loop blocks.
    rounds = 300
    budget(50_000)  # generous: a loaded machine may be slow to run the I/O thread
    slept = run(lambda: _req_rep_rounds(actx, rounds))
    assert slept <= rounds // 10, slept


def test_a_spin_nobody_answers_makes_later_waits_sleep(run, actx, budget):
    budget(30_000)  # 30 ms

    async def main():
        loop = asyncio.get_running_loop()
        spinner = busypoll.for_loop(loop)
        a, b = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        pending = a.recv()
        assert spinner.spinning
        before = _sleeps()
        await asyncio.sleep(0.02)  # the time under test: 20 ms of a 30 ms budget
        # the loop keeps turning within the budget: it never slept
        assert _sleeps() - before == 0
        await asyncio.sleep(0.03)  # past the budget, with nothing arrived
        assert not spinner.spinning
        # the next wait sleeps at once: nothing arrived last time
        second = a.recv_multipart()
        assert not spinner.spinning
        before = _sleeps()
        await asyncio.sleep(0.05)  # the time under test: a wait with the spin off
        assert _sleeps() - before >= 1
        await b.send(b"one")
        await b.send(b"two")
        assert await asyncio.wait_for(pending, 5) == b"one"
        assert await asyncio.wait_for(second, 5) == [b"two"]

    run(main)


def test_zero_turns_it_off(run, actx, budget):
    budget(0)

    async def main():
        spinner = busypoll.for_loop(asyncio.get_running_loop())
        a, b = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        pending = a.recv()
        assert not spinner.spinning
        await b.send(b"x")
        assert await asyncio.wait_for(pending, 5) == b"x"

    run(main)


def test_per_loop_budget_and_bad_values(run, budget):
    async def main():
        loop = asyncio.get_running_loop()
        busypoll.set_busy_poll(0, loop=loop)
        assert busypoll.get_busy_poll(loop) == 0
        assert busypoll.get_busy_poll() == pytest.approx(budget_default)
        busypoll.set_busy_poll(250, loop=loop)
        assert busypoll.get_busy_poll(loop) == pytest.approx(250)

    budget_default = busypoll.get_busy_poll()
    run(main)
    with pytest.raises(ValueError, match=">= 0"):
        busypoll.set_busy_poll(-1)
    with pytest.raises(TypeError, match="microseconds"):
        busypoll.set_busy_poll("100")
    with pytest.raises(TypeError, match="microseconds"):
        busypoll.set_busy_poll(True)


def test_bad_environment_value_is_refused():
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "import zmq.eventloop.busypoll"],
        env=dict(os.environ, ZMQ_BUSY_POLL_US="fast"), capture_output=True, text=True,
        timeout=60,
    )
    assert out.returncode != 0
    assert "ZMQ_BUSY_POLL_US must be a number of microseconds, not 'fast'" in out.stderr


def test_zmqstream_spins_while_it_expects_messages(budget):
    from tornado.ioloop import IOLoop

    budget(30_000)
    ctx = zmq.Context()
    a, b = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
    loop = IOLoop(make_current=False)
    got = []
    try:
        stream = ZMQStream(a, loop)
        spinner = busypoll.for_loop(loop.asyncio_loop)

        def on_recv(msg):
            got.append(msg)
            loop.add_callback(lambda: spinning.append(spinner.spinning))
            loop.call_later(0.1, loop.stop)

        spinning = []
        stream.on_recv(on_recv)
        loop.add_callback(lambda: b.send(b"hi"))
        loop.call_later(10, loop.stop)
        loop.start()
        assert got == [[b"hi"]]
        # after a message the stream expects more and keeps the loop turning
        assert spinning == [True]
        stream.close()
    finally:
        loop.close(all_fds=False)
        b.close()
        ctx.destroy(linger=0)


def test_a_spinning_task_takes_its_message_in_its_own_step(run, actx, budget):
    # A task awaiting a queued receive looks at the socket itself between
    # turns of the spinning loop: it has the message one turn after it
    # arrived, not two (the reader's turn, then the future's callback's).
    budget(2_000_000)  # the spin outlasts the test

    async def main():
        a, b = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        got = []

        async def receive():
            got.append(await a.recv())

        task = asyncio.ensure_future(receive())
        await loop_turns(3)  # the task waits, the loop spins
        assert not got and busypoll.for_loop(asyncio.get_running_loop()).spinning
        await b.send(b"x")  # inproc: in a's queue now
        turns = 0
        while not got:
            await asyncio.sleep(0)
            turns += 1
            assert turns < 50
        assert turns == 1
        assert got == [b"x"]
        await task

    run(main)


def test_cancelling_a_spinning_task_takes_nothing(run, actx, budget):
    # cancelled while it spins, the task's receive is cancelled with it:
    # the next receive gets the message
    budget(2_000_000)

    async def main():
        a, b = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        waiting = asyncio.ensure_future(_await(a.recv()))
        await loop_turns(3)  # the task waits, the loop spins
        assert busypoll.for_loop(asyncio.get_running_loop()).spinning
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await b.send(b"one")
        await b.send(b"two")
        assert await asyncio.wait_for(a.recv(), 5) == b"one"
        assert await asyncio.wait_for(a.recv(), 5) == b"two"

    run(main)


async def _await(awaitable):
    return await awaitable


def test_a_task_spin_nobody_answers_ends_and_later_waits_sleep(run, actx, budget):
    # the same as above with the receive awaited by a task, which turns the
    # loop itself while it spins: the spin still ends, and counts as a miss
    budget(30_000)  # 30 ms

    async def main():
        spinner = busypoll.for_loop(asyncio.get_running_loop())
        a, b = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        waiting = asyncio.ensure_future(_await(a.recv()))
        await loop_turns(3)
        assert spinner.spinning
        await asyncio.sleep(0.06)  # the time under test: past the 30 ms budget
        assert not spinner.spinning and not waiting.done()
        second = a.recv()
        assert not spinner.spinning  # nothing arrived last time: no spin
        await b.send(b"one")
        await b.send(b"two")
        assert await asyncio.wait_for(waiting, 5) == b"one"
        assert await asyncio.wait_for(second, 5) == b"two"

    run(main)


def test_a_spinning_task_gives_way_while_another_thread_takes_it(run, actx, budget,
                                                                monkeypatch):
    # a task's spin gives the CPU away (sched_yield) to libzmq's I/O thread,
    # should it wait for this one, every turn while that lets another
    # thread run, and no more once it does not. The replacement below says
    # "another thread ran" twice, then sends the message on its third call:
    # a spin that never gives way never gets it.
    budget(2_000_000)

    async def main():
        a, b = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        calls = []

        def give_way():
            calls.append(None)
            if len(calls) < 3:
                return True
            if len(calls) == 3:
                zmq.Socket.send(b, b"x", zmq.DONTWAIT)  # the synchronous send
            return False

        monkeypatch.setattr(busypoll, "give_way", give_way)
        # a task of its own awaits the receive (wait_for awaits it in
        # another task before Python 3.12)
        assert await asyncio.wait_for(_await(a.recv()), 5) == b"x"
        assert len(calls) == 3
        # nothing else wanted the CPU: the rest of a spin does not give way
        waiting = asyncio.ensure_future(_await(a.recv()))
        await loop_turns(5)
        assert len(calls) == 4 and not waiting.done()
        await b.send(b"y")
        assert await asyncio.wait_for(waiting, 5) == b"y"

    run(main)


def test_give_way_says_whether_another_thread_ran(monkeypatch):
    import time

    # the time under test: a sched_yield() that took 1 ms ran another thread
    monkeypatch.setattr(busypoll, "_sched_yield", lambda: time.sleep(0.001))
    assert busypoll.give_way() is True
    monkeypatch.setattr(busypoll, "_sched_yield", lambda: None)
    assert busypoll.give_way() is False
    monkeypatch.setattr(busypoll, "_sched_yield", None)  # an OS without it
    assert busypoll.give_way() is False
