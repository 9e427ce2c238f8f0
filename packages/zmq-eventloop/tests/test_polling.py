# SPDX-License-Identifier: BSD-3-Clause
"""Polls on async sockets: they share the socket's reader with its pending
operations, overlap freely, end cancelled when the socket closes, and key
raw FDs and file objects by FD number (as PyZMQ does)."""

import asyncio
import os

import pytest
from zmq_testkit import connected_pair, loop_turns

import zmq
import zmq.asyncio


def test_poll_while_a_recv_is_pending_keeps_the_socket_awake(run, pull_push):
    """A poll (of the socket, or of a Poller holding it) that starts and ends
    while a recv() waits must leave the socket's wake-ups working."""

    pull, push = pull_push

    async def main():
        for round_ in range(3):
            pending = pull.recv()
            # both kinds of poll, each ending by its timeout
            assert await pull.poll(10) == 0
            poller = zmq.asyncio.Poller()
            poller.register(pull, zmq.POLLIN)
            assert await poller.poll(10) == []
            await push.send(b"%d" % round_)
            assert await asyncio.wait_for(pending, 5) == b"%d" % round_

    run(main)


def test_poll_ending_with_events_while_a_recv_is_pending(run, pull_push):
    pull, push = pull_push

    async def main():
        waiting = pull.poll(5000)
        first = pull.recv()
        await push.send(b"one")
        # the queued receive takes the message; the poll sees the next one
        assert await asyncio.wait_for(first, 5) == b"one"
        await push.send(b"two")
        assert await asyncio.wait_for(waiting, 5) == zmq.POLLIN
        second = pull.recv()
        assert await asyncio.wait_for(second, 5) == b"two"
        # and the socket still wakes up after the poll is gone
        third = pull.recv()
        await loop_turns()  # the poll/receive just made is waiting now
        await push.send(b"three")
        assert await asyncio.wait_for(third, 5) == b"three"

    run(main)


def test_overlapping_polls_all_return(run, pull_push):
    pull, push = pull_push

    async def main():
        poller = zmq.asyncio.Poller()
        poller.register(pull, zmq.POLLIN)
        polls = [pull.poll(), pull.poll(5000), poller.poll(), poller.poll(5000)]
        await loop_turns()  # the poll/receive just made is waiting now
        assert not any(p.done() for p in polls)
        await push.send(b"wake")
        results = await asyncio.wait_for(asyncio.gather(*polls), 5)
        assert results == [zmq.POLLIN, zmq.POLLIN, [(pull, zmq.POLLIN)],
                           [(pull, zmq.POLLIN)]]
        assert await pull.recv() == b"wake"

    run(main)


def test_poll_on_a_socket_closed_meanwhile_is_cancelled(run, actx):
    async def main():
        pull, push = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        forever = pull.poll()
        bounded = pull.poll(60_000)
        poller = zmq.asyncio.Poller()
        poller.register(pull, zmq.POLLIN)
        polled = poller.poll(60_000)
        await asyncio.sleep(0)
        pull.close()
        for f in (forever, bounded, polled):
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(f, 5)
        with pytest.raises(zmq.ZMQError):
            pull.poll()
        push.close()

    run(main)


def test_poller_keys_raw_fds_and_file_objects_by_fd(run):
    async def main():
        r_fd, w_fd = os.pipe()
        r = os.fdopen(r_fd, "rb")
        w = os.fdopen(w_fd, "wb")
        try:
            poller = zmq.asyncio.Poller()
            poller.register(r, zmq.POLLIN)
            poller.register(w, zmq.POLLOUT)
            assert dict(await poller.poll(1000)) == {w.fileno(): zmq.POLLOUT}
            poller.unregister(w)
            waiting = poller.poll(5000)
            await loop_turns()  # the poll/receive just made is waiting now
            assert not waiting.done()
            w.write(b"x")
            w.flush()
            assert dict(await asyncio.wait_for(waiting, 5)) == {r.fileno(): zmq.POLLIN}
            # a raw int FD is reported by itself
            raw = zmq.asyncio.Poller()
            raw.register(r.fileno(), zmq.POLLIN)
            assert await raw.poll(1000) == [(r.fileno(), zmq.POLLIN)]
            assert r.read(1) == b"x"
        finally:
            r.close()
            w.close()

    run(main)


def test_overlapping_polls_of_one_raw_fd(run):
    async def main():
        r_fd, w_fd = os.pipe()
        try:
            polls = []
            for _ in range(2):
                p = zmq.asyncio.Poller()
                p.register(r_fd, zmq.POLLIN)
                polls.append(p.poll(5000))
            await loop_turns()  # the poll/receive just made is waiting now
            os.write(w_fd, b"x")
            assert await asyncio.wait_for(asyncio.gather(*polls), 5) == [
                [(r_fd, zmq.POLLIN)], [(r_fd, zmq.POLLIN)]]
        finally:
            os.close(r_fd)
            os.close(w_fd)

    run(main)


def test_poller_with_a_plain_socket(run):
    ctx = zmq.Context()
    pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")

    async def main():
        poller = zmq.asyncio.Poller()
        poller.register(pull, zmq.POLLIN)
        waiting = poller.poll(5000)
        await loop_turns()  # the poll/receive just made is waiting now
        assert not waiting.done()
        push.send(b"plain")
        assert await asyncio.wait_for(waiting, 5) == [(pull, zmq.POLLIN)]
        assert pull.recv() == b"plain"

    try:
        run(main)
    finally:
        pull.close()
        push.close()
        ctx.term()


def test_poll_for_pollout(run, actx):
    async def main():
        push = actx.socket(zmq.PUSH)
        push.linger = 0
        push.bind(f"inproc://pollout-{id(push)}")
        assert await push.poll(0, zmq.POLLOUT) == 0  # no peer yet
        waiting = push.poll(5000, zmq.POLLOUT)
        await loop_turns()  # the poll/receive just made is waiting now
        assert not waiting.done()
        pull = actx.socket(zmq.PULL)
        pull.linger = 0
        pull.connect(push.last_endpoint.decode())
        assert await asyncio.wait_for(waiting, 5) == zmq.POLLOUT
        push.close()
        pull.close()

    run(main)
