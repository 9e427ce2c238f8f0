# SPDX-License-Identifier: BSD-3-Clause
"""Programs that call gevent.monkey.patch_all() before importing zmq: the
threads zmq-core starts for itself must stay OS threads. Large sends are
shared with libzmq rather than copied, which starts the zero-copy reaper;
as a greenlet, its wait without the GIL froze every greenlet of the
process on the first send of 64 kB or more (Locust workers hung).

Each program runs in a child, beside the test kit's ticker greenlet: if
anything blocks the hub, the ticker stops and the check (or the child's
timeout) fails."""

import pytest
from zmq_testkit import run_green

EXCHANGE = r"""
import sys
import time

import gevent
import zmq.green as zmq
import zmq.utils.garbage
from zmq.core.osthread import get_ident
from zmq_testkit import connected_pair

transport = sys.argv[1]


ctx = zmq.Context()
pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, transport, timeout_ms=10000)

for size in (100_000, 4 * 1024 * 1024):
    # a copied send is never tracked (PyZMQ's rule): copy=True tracks nothing
    for copy, track in ((True, False), (False, False), (False, True)):
        payloads = [bytes([n]) * size for n in range(4)]
        received = []
        receiver = gevent.spawn(lambda: [received.append(pull.recv()) for _ in payloads])
        trackers = [push.send(p, copy=copy, track=track) for p in payloads]
        receiver.join(timeout=20)
        assert received == payloads, (size, copy, track, [len(r) for r in received])
        if track:
            for t in trackers:
                deadline = time.monotonic() + 10
                while not t.done:
                    assert time.monotonic() < deadline, "tracker never done"
                    gevent.sleep(0.001)

reaper = zmq.utils.garbage.gc.thread
assert reaper is not None and reaper.is_alive(), reaper
assert reaper.ident != get_ident(), "the reaper runs in the main OS thread"
# idle (the kit measures its CPU), the reaper waiting
finish()
push.close()
pull.close()
ctx.term()
"""


@pytest.mark.timeout(90)
@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_large_messages_after_patch_all(transport):
    assert run_green(EXCHANGE, transport) == []
