# SPDX-License-Identifier: BSD-3-Clause
"""zmq.anyio loses and duplicates nothing under cancellation, on both
backends: 10^5 messages per backend over every send/receive variant, about
30% of the sends and of the receives cancelled by anyio cancel scopes at
random points (before they start, while they wait, or just as their
message arrives), every message counted exactly. Then tasks sharing
sockets in both directions, under cancellation too."""

import random
from collections import Counter

import anyio
import pytest
from test_anyio import VARIANTS, variant_or_skip
from zmq_testkit import closing, endpoint, make_socket

import zmq
import zmq.anyio

pytestmark = pytest.mark.anyio

# 10^5 messages per backend, split across the receive variants
PER_VARIANT = -(-100_000 // len(VARIANTS))
CANCELLED = 0.30
# cancel-scope deadlines (s): 0 cancels before the operation starts; the
# others land while it waits, or as its message arrives
DEADLINES = [0, 0, 1e-5, 5e-5, 2e-4, 1e-3]


class Tally:
    """How the cancel scopes around operations ended."""

    def __init__(self):
        # cancelled: the operation raised and took/sent nothing; completed:
        # the scope's deadline had passed but the operation completed (its
        # message was already there), and its result counts
        self.cancelled = 0
        self.completed = 0


async def _in_random_scope(rng, tally, operation):
    """(True, result) if operation() completed, (False, None) if it was
    cancelled; ~30% of the calls run in a scope cancelled at a random point."""
    if rng.random() >= CANCELLED:
        return True, await operation()
    with anyio.move_on_after(rng.choice(DEADLINES)) as scope:
        result = await operation()
        if scope.cancel_called:
            tally.completed += 1
        return True, result
    tally.cancelled += 1
    return False, None


@pytest.mark.timeout(120)
@pytest.mark.parametrize("variant", sorted(VARIANTS))
async def test_cancellation_storm_counts_every_message_exactly(anyctx, variant):
    send, receive = variant_or_skip(variant)
    # small queues (set before connecting, where they apply): the sender
    # keeps having to wait too
    pull = make_socket(anyctx, zmq.PULL, bind=endpoint(), timeout_ms=None, rcvhwm=5)
    push = make_socket(anyctx, zmq.PUSH, connect=pull.last_endpoint.decode(), timeout_ms=None,
                       sndhwm=5)
    sends, receives = Tally(), Tally()
    got = []
    with closing(pull, push), anyio.fail_after(60):

        # phases of 200 messages in which one side is the slower, so that the
        # receiver waits on an empty queue in some and the sender on a full
        # one in others: that is where cancellations land
        def slow_side(n):
            return "sender" if (n // 200) % 2 else "receiver"

        async def pause(rng):
            for _ in range(rng.randint(1, 4)):
                await anyio.lowlevel.checkpoint()

        async def sender():
            rng = random.Random(5)
            n = 0
            while n < PER_VARIANT:
                done, _ = await _in_random_scope(rng, sends, lambda n=n: send(push, n))
                if done:
                    n += 1  # else not sent: the same message again
                if slow_side(n) == "sender":
                    await pause(rng)

        async def receiver():
            rng = random.Random(13)
            while len(got) < PER_VARIANT:
                done, result = await _in_random_scope(rng, receives, lambda: receive(pull))
                if done:
                    got.append(result)
                if slow_side(len(got)) == "receiver":
                    await pause(rng)

        async with anyio.create_task_group() as group:
            group.start_soon(sender)
            group.start_soon(receiver)
    assert len(got) == PER_VARIANT
    assert got == list(range(PER_VARIANT))  # none lost, none twice, in order
    # both outcomes happened many times, on both sides
    for tally in (sends, receives):
        assert tally.cancelled > PER_VARIANT // 50, vars(tally)
        assert tally.completed > PER_VARIANT // 200, vars(tally)


@pytest.mark.timeout(120)
async def test_tasks_sharing_sockets_both_ways_under_cancellation(anyctx):
    """Two DEALERs, each with two sending and two receiving tasks of its
    own (so each socket has tasks waiting to send and to receive at once),
    and a task polling both, small queues, random cancellations: each side
    gets every message of the other exactly once, each sender's in order."""
    per_sender = 5_000
    a = make_socket(anyctx, zmq.DEALER, bind=endpoint("tcp"), timeout_ms=None, sndhwm=10,
                    rcvhwm=10)
    b = make_socket(anyctx, zmq.DEALER, connect=a.last_endpoint.decode(), timeout_ms=None,
                    sndhwm=10, rcvhwm=10)
    with closing(a, b), anyio.fail_after(60):
        received = {a: [], b: []}
        tallies = {s: Tally() for s in (a, b)}

        async def sender(sock, tag, seed):
            rng = random.Random(seed)
            n = 0
            while n < per_sender:
                parts = [tag, b"%d" % n]
                done, _ = await _in_random_scope(rng, tallies[sock],
                                                 lambda parts=parts: sock.send_multipart(parts))
                if done:
                    n += 1

        async def receiver(sock, seed, group):
            rng = random.Random(seed)
            while True:
                done, msg = await _in_random_scope(rng, tallies[sock], sock.recv_multipart)
                if done:
                    received[sock].append(msg)
                    if len(received[a]) == len(received[b]) == 2 * per_sender:
                        group.cancel_scope.cancel()

        async def poller(seed):
            # polls racing the receives and sends on both sockets, cancelled
            # at random points too: they take nothing, and strand no one
            rng = random.Random(seed)
            poll = zmq.anyio.Poller()
            poll.register(a, zmq.POLLIN | zmq.POLLOUT)
            poll.register(b, zmq.POLLIN)
            while True:
                with anyio.move_on_after(rng.choice(DEADLINES)):
                    if rng.random() < 0.5:
                        await poll.poll()
                    else:
                        await b.poll(flags=zmq.POLLOUT)
                await anyio.lowlevel.checkpoint()

        async with anyio.create_task_group() as group:
            for i, (sock, tag) in enumerate([(a, b"a0"), (a, b"a1"), (b, b"b0"), (b, b"b1")]):
                group.start_soon(sender, sock, tag, i)
                group.start_soon(receiver, sock, 100 + i, group)
            group.start_soon(poller, 200)
    for sock, tags in ((b, (b"a0", b"a1")), (a, (b"b0", b"b1"))):
        counts = Counter(tag for tag, _ in received[sock])
        assert counts == {tag: per_sender for tag in tags}
        for tag in tags:
            assert [int(n) for t, n in received[sock] if t == tag] == list(range(per_sender))
    for tally in tallies.values():
        assert tally.cancelled > per_sender // 50 and tally.completed > 0, vars(tally)
