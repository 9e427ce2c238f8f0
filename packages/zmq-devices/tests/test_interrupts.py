# SPDX-License-Identifier: BSD-3-Clause
"""monitored_queue under Ctrl-C and under close()/term()/destroy() from
another thread (issue #22): SIGINT raises KeyboardInterrupt within 100 ms,
200 times at random offsets, idle or while messages stream through; a
socket closed from another thread ends the queue with ENOTSOCK, the
context's end with ETERM or ENOTSOCK, within 100 ms, 1,000 times at
random offsets. The harnesses are the test kit's (zmq_testkit.sigint,
zmq_testkit.races), shared with zmq-core's proxy tests."""

import sys

import pytest
from zmq_testkit.races import PUMP, assert_race_wakes_the_waiter
from zmq_testkit.sigint import assert_sigint_always_lands

QUEUE_SOCKETS = """
from zmq.devices import monitored_queue
ins = ctx.socket(zmq.ROUTER)
outs = ctx.socket(zmq.DEALER)
mon = ctx.socket(zmq.PUB)
for sock in (ins, outs, mon):
    sock.linger = 0
ins.bind("inproc://ins")
outs.bind("inproc://outs")
mon.bind("inproc://mon")
"""

TRAFFIC = QUEUE_SOCKETS + PUMP + """
client = ctx.socket(zmq.DEALER)
worker = ctx.socket(zmq.DEALER)
watcher = ctx.socket(zmq.SUB)
watcher.subscribe(b"")
for sock in (client, worker, watcher):
    sock.linger = 0
client.connect("inproc://ins")
worker.connect("inproc://outs")
watcher.connect("inproc://mon")


def echo():
    worker.send_multipart(worker.recv_multipart())

start_pumps(lambda: client.send(b"x" * 64), client.recv, echo, watcher.recv)
"""

CALL = "monitored_queue(ins, outs, mon, b'in', b'out')"


@pytest.mark.skipif(sys.platform != "linux", reason="CLOCK_MONOTONIC across processes")
@pytest.mark.parametrize("setup", [QUEUE_SOCKETS, TRAFFIC], ids=["idle", "under traffic"])
def test_sigint_during_monitored_queue_always_lands(setup):
    assert_sigint_always_lands("PULL", CALL, setup)


RACE_SETUP = PUMP + """
from zmq.devices import monitored_queue


def start_traffic():
    # both ways through the queue, and the monitor read
    payload = b"x" * 64
    start_pumps(lambda: peer.send(payload), lambda: back_peer.send(payload),
                peer.recv, back_peer.recv, others[0].recv)

def monitor():
    # a PUB monitor and a SUB reading it
    mon = ctx.socket(zmq.PUB)
    watcher = ctx.socket(zmq.SUB)
    watcher.subscribe(b"")
    others.extend([watcher, mon])
    for s in (mon, watcher):
        s.linger = 0
    endpoint = f"inproc://race-mon-{n}"
    mon.bind(endpoint)
    watcher.connect(endpoint)
    return mon
"""

QUEUE_WAITS = {
    "idle": ("mon = monitor()", "monitored_queue(sock, back, mon, b'in', b'out')"),
    "under traffic": ("mon = monitor()", "start_traffic(); monitored_queue(sock, back, mon)"),
}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("act, rounds", [("close", 1000), ("close backend", 1000),
                                         ("Context.destroy", 1000), ("Context.term", 1000)])
@pytest.mark.parametrize("wait", list(QUEUE_WAITS))
def test_monitored_queue_ends_when_another_thread_closes_or_terminates(wait, act, rounds):
    assert_race_wakes_the_waiter(QUEUE_WAITS[wait], act, rounds, RACE_SETUP)
