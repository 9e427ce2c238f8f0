# SPDX-License-Identifier: BSD-3-Clause
"""Cancelling receives loses nothing, for every receive variant: a
cancellation either happens before a message is taken (and the next
receive gets it) or is refused because the result is already there.
Closing a socket cancels every kind of pending operation."""

import asyncio
import random

import pytest
from conftest import sockets_to_close_under_waiters
from zmq_testkit import connected_pair

import zmq

MESSAGES = 20_000

np = pytest.importorskip("numpy")


def _variants():
    """name -> (send(sock, n) awaitable, start_receive(sock), decode(result, state))."""

    def into_start(sock):
        buf = bytearray(16)
        return sock.recv_into(buf), buf

    return {
        "recv": (lambda s, n: s.send(b"%d" % n), lambda s: s.recv(), lambda r: int(r)),
        "recv_multipart": (lambda s, n: s.send_multipart([b"m", b"%d" % n]),
                           lambda s: s.recv_multipart(), lambda r: int(r[1])),
        "recv_string": (lambda s, n: s.send_string(str(n)), lambda s: s.recv_string(),
                        lambda r: int(r)),
        "recv_json": (lambda s, n: s.send_json({"n": n}), lambda s: s.recv_json(),
                      lambda r: r["n"]),
        "recv_pyobj": (lambda s, n: s.send_pyobj(("n", n)), lambda s: s.recv_pyobj(),
                       lambda r: r[1]),
        "recv_serialized": (
            lambda s, n: s.send_serialized(n, lambda v: [b"%d" % v]),
            lambda s: s.recv_serialized(lambda frames: int(frames[0])),
            lambda r: r,
        ),
        "recv_msgpack": (lambda s, n: s.send_msgpack([n]), lambda s: s.recv_msgpack(),
                         lambda r: r[0]),
        "recv_array": (lambda s, n: s.send_array(np.array([n], dtype=np.int64)),
                       lambda s: s.recv_array(), lambda r: int(r[0])),
        "recv_into": (lambda s, n: s.send(b"%d" % n), into_start, None),
    }


VARIANTS = _variants()


def variant_or_skip(variant):
    """(send, start, decode) of a receive variant; skips when the codec it
    needs is not installed."""
    pytest.importorskip("zmq.serial")
    if variant == "recv_msgpack":
        pytest.importorskip("msgpack")
    return VARIANTS[variant]


@pytest.mark.timeout(150)  # 20,000 messages; the loop itself is given 110 s
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_cancellation_storm_loses_nothing(run, actx, variant):
    """20,000 messages; about 30% of the receive futures are cancelled,
    half at once and half after the loop turned (when a message may just
    have been taken for them): every message arrives exactly once, in order."""
    send, start, decode = variant_or_skip(variant)

    async def main():
        pull, push = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        push.sndhwm = pull.rcvhwm = 50  # the sender keeps having to wait too

        async def sender():
            # in bursts, so receives sometimes find messages waiting and
            # sometimes wait for them
            pace = random.Random(5)
            for n in range(MESSAGES):
                await send(push, n)
                if pace.random() < 0.6:
                    for _ in range(pace.randrange(1, 4)):
                        await asyncio.sleep(0)

        got = []
        refused = cancelled = 0
        rng = random.Random(13)

        async def receiver():
            nonlocal refused, cancelled
            while len(got) < MESSAGES:
                started = start(pull)
                future, buf = started if variant == "recv_into" else (started, None)
                roll = rng.random()
                if roll < 0.30:
                    if roll >= 0.15:
                        # let the loop turn: the message may be taken meanwhile
                        await asyncio.sleep(0)
                    if future.cancel():
                        cancelled += 1
                        assert future.cancelled()
                        continue
                    refused += 1  # a message was taken for it: consume it
                result = await future
                if buf is not None:
                    got.append(int(bytes(buf[:result])))
                else:
                    got.append(decode(result))

        await asyncio.gather(sender(), receiver())
        assert len(got) == MESSAGES
        assert got == list(range(MESSAGES))  # none lost, none twice, in order
        # both outcomes happen many times
        assert cancelled > MESSAGES // 20 and refused > MESSAGES // 20, (cancelled, refused)
        pull.close()
        push.close()

    run(main, timeout=110)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_cancel_is_refused_once_a_message_was_taken(run, actx, variant):
    """A queued receive completes in the step that takes its message: a
    cancel() that comes right after (here from the done-callback of the
    receive queued ahead of it, which runs before anything else can) is
    refused, and the message is its result."""
    send, start, decode = variant_or_skip(variant)

    async def main():
        pull, push = connected_pair(actx, zmq.PULL, zmq.PUSH, "inproc")
        ahead = pull.recv()
        started = start(pull)
        future, buf = started if variant == "recv_into" else (started, None)
        assert not future.done()
        cancels = []
        ahead.add_done_callback(lambda _: cancels.append(future.cancel()))
        # both messages wait before the loop looks again: one step takes both
        await push.send(b"first")
        await send(push, 7)
        assert await asyncio.wait_for(ahead, 5) == b"first"
        assert cancels == [False]
        result = await asyncio.wait_for(future, 5)
        assert (int(bytes(buf[:result])) if buf is not None else decode(result)) == 7
        pull.close()
        push.close()

    run(main)


def test_close_cancels_every_kind_of_pending_operation(run, actx):
    pytest.importorskip("zmq.serial")

    async def main():
        pull, push, other, _, lonely, poller = sockets_to_close_under_waiters(
            actx, zmq.asyncio.Poller)
        pending = [
            pull.recv(), pull.recv_multipart(), pull.recv_string(), pull.recv_json(),
            pull.recv_pyobj(), pull.recv_serialized(lambda f: f), pull.recv_array(),
            pull.recv_into(bytearray(4)), pull.poll(), pull.poll(60_000), poller.poll(),
            poller.poll(60_000),
        ]
        sends = [lonely.send(b"x"), lonely.send_multipart([b"a", b"b"]), lonely.poll(
            flags=zmq.POLLOUT)]
        await asyncio.sleep(0)
        assert not any(f.done() for f in pending + sends)
        pull.close()
        lonely.close()
        for f in pending + sends:
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(f, 5)
        other.close()

    run(main)
