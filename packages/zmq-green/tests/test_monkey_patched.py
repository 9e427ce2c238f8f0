# SPDX-License-Identifier: BSD-3-Clause
"""Programs that call gevent.monkey.patch_all() before importing zmq: the
threads zmq-core starts for itself must stay OS threads. Large sends are
shared with libzmq rather than copied, which starts the zero-copy reaper;
as a greenlet, its wait without the GIL froze every greenlet of the
process on the first send of 64 kB or more (Locust workers hung).

Each program runs in a child (patching is for the whole process) with a
ticker greenlet beside the exchange: if anything blocks the hub, the
ticker stops and the child's checks (or its timeout) fail."""

import pytest
from zmq_testkit import run_python

EXCHANGE = r"""
import sys
from gevent import monkey

monkey.patch_all()
import resource
import time

import gevent
import zmq.green as zmq
import zmq.utils.garbage
from zmq.core.osthread import get_ident

transport = sys.argv[1]


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


ticks = []


def ticker():
    while True:
        gevent.sleep(0.005)
        ticks.append(time.monotonic())


ctx = zmq.Context()
pull = ctx.socket(zmq.PULL)
push = ctx.socket(zmq.PUSH)
for s in (pull, push):
    s.linger = 0
    s.rcvtimeo = s.sndtimeo = 10000
if transport == "tcp":
    url = "tcp://127.0.0.1:%d" % pull.bind_to_random_port("tcp://127.0.0.1")
else:
    import tempfile
    url = "ipc://" + tempfile.mkdtemp() + "/sock"
    pull.bind(url)
push.connect(url)
tick_greenlet = gevent.spawn(ticker)

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

# idle, with the reaper waiting: nothing may spin
start_cpu, start = cpu(), time.monotonic()
gevent.sleep(0.5)
idle_cpu = cpu() - start_cpu
gaps = [b - a for a, b in zip(ticks, ticks[1:])]
tick_greenlet.kill()
push.close()
pull.close()
ctx.term()
print("ok", len(ticks), round(max(gaps), 3), round(idle_cpu, 3), flush=True)
"""


@pytest.mark.timeout(90)
@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_large_messages_after_patch_all(transport):
    result = run_python(EXCHANGE, transport, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    status, _ticks, max_gap, idle_cpu = result.stdout.split()
    assert status == "ok"
    # the ticker sleeps 5 ms: a gap of a second means the hub froze
    assert float(max_gap) < 1.0, result.stdout
    # half a second idle (ticker and reaper waiting) costs far less than
    # half a second of CPU; a spinning thread would cost all of it
    assert float(idle_cpu) < 0.15, result.stdout
