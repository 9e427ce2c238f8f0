# SPDX-License-Identifier: BSD-3-Clause
"""100k messages through ROUTER/DEALER and PUB/SUB pairs on one loop, with
concurrent senders, receivers, real cancellations and polls racing
receives: every message arrives exactly once and in order per peer. Then
every socket is closed with operations of every kind pending."""

import asyncio
import random

import pytest
from zmq_testkit import async_drain, async_until_received, endpoint, make_socket

import zmq
import zmq.asyncio

TOTAL = 100_000
PEERS = 4


@pytest.mark.timeout(300)  # 100k messages; the loop itself is given 240 s
def test_router_dealer_and_pub_sub_under_load(run, actx):
    per_peer = TOTAL // (2 * PEERS)  # half over ROUTER/DEALER, half over PUB/SUB

    async def main():
        # linger 0, no timeouts: the loop's own limit bounds every wait
        url, pub_url = endpoint(), endpoint()
        # small queues: the high-water mark is hit
        router = make_socket(actx, zmq.ROUTER, bind=url, timeout_ms=None, sndhwm=100,
                             rcvhwm=100)
        dealers = [make_socket(actx, zmq.DEALER, connect=url, timeout_ms=None, sndhwm=100,
                               rcvhwm=100, routing_id=b"d%d" % i) for i in range(PEERS)]
        # a PUB drops at its HWM; this test counts every message
        pub = make_socket(actx, zmq.PUB, bind=pub_url, timeout_ms=None, sndhwm=0)
        subs = [make_socket(actx, zmq.SUB, connect=pub_url, timeout_ms=None, rcvhwm=0,
                            subscribe=b"p%d" % i) for i in range(PEERS)]
        # subscriptions must reach the PUB before publishing: the slow
        # joiner, each subscriber on its own topic
        for i, s in enumerate(subs):
            await async_until_received(
                s, lambda topic=b"p%d" % i: pub.send_multipart([topic, b"sync"]))
        for s in subs:
            await async_drain(s)

        async def dealer_sender(d):
            for n in range(per_peer):
                await d.send_multipart([b"%d" % n])

        seen_router = {d.routing_id: [] for d in dealers}
        cancelled = 0
        rng = random.Random(7)

        async def router_receiver():
            nonlocal cancelled
            while sum(len(v) for v in seen_router.values()) < per_peer * PEERS:
                fut = router.recv_multipart()
                # cancel some receives at random: no message may be lost.
                # (cancel() is refused by a future that already holds a
                # message: that one must then be consumed.)
                if rng.random() < 0.05 and fut.cancel():
                    cancelled += 1
                    await asyncio.sleep(0)
                    continue
                who, body = await fut
                seen_router[who].append(int(body))

        async def publisher():
            for n in range(per_peer):
                for i in range(PEERS):
                    await pub.send_multipart([b"p%d" % i, b"%d" % n])

        seen_sub = [[] for _ in subs]

        async def subscriber(i, s):
            while len(seen_sub[i]) < per_peer:
                recv = s.recv_multipart()
                roll = rng.random()
                if roll < 0.05:
                    # cancelled mid-flight, for real: either before a message
                    # was taken (the next receive gets it) or refused
                    await asyncio.sleep(0)
                    if recv.cancel():
                        continue
                elif roll < 0.10:
                    # a poll racing the pending receive on the same socket
                    await s.poll(1)
                topic, body = await recv
                assert topic == b"p%d" % i
                seen_sub[i].append(int(body))

        await asyncio.gather(
            *(dealer_sender(d) for d in dealers),
            router_receiver(),
            publisher(),
            *(subscriber(i, s) for i, s in enumerate(subs)),
        )
        for got in seen_router.values():
            assert got == list(range(per_peer))  # exactly once, in order
        for got in seen_sub:
            assert got == list(range(per_peer))
        assert cancelled > 0
        # close with receives, decoded receives, polls, a Poller's poll and a
        # blocked send pending: all of them end cancelled, nothing hangs
        poller = zmq.asyncio.Poller()
        for s in subs:
            poller.register(s, zmq.POLLIN)
        pending = [poller.poll(), poller.poll(60_000)]
        for s in subs:
            pending += [s.recv(), s.recv_multipart(), s.recv_string(), s.poll(),
                        s.poll(60_000)]
        for d in dealers:
            pending += [d.recv_multipart(), d.poll()]
        router.sndhwm = 1
        pending.append(router.recv())
        await asyncio.sleep(0)
        assert not any(f.done() for f in pending)
        for s in [router, pub, *dealers, *subs]:
            s.close()
        results = await asyncio.wait_for(
            asyncio.gather(*pending, return_exceptions=True), 10)
        assert all(isinstance(r, asyncio.CancelledError) for r in results), results

    run(main, timeout=240)
