# SPDX-License-Identifier: BSD-3-Clause
"""Ctrl-C always lands: SIGINT, sent 200 times per call kind at random
offsets (right at a call's start included), interrupts every kind of
blocking call with KeyboardInterrupt within 100 ms; a handler that returns
lets the call go on. The harness (a child looping the call, the parent
aiming the signals) is zmq_testkit.sigint."""

import random
import signal
import sys
import time

import pytest
from conftest import needs_draft
from zmq_testkit import Child
from zmq_testkit.races import PUMP
from zmq_testkit.sigint import MISSED_AFTER_S, ROUNDS, assert_sigint_always_lands, threads_of

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="CLOCK_MONOTONIC across processes")

TRACKER_ROUNDS = 200

CALLS = [
    ("PULL", "s.recv()"),
    ("PULL", "s.recv(copy=False)"),
    ("PULL", "s.recv_multipart()"),
    ("PULL", "s.recv_string()"),
    ("PULL", "s.recv_into(bytearray(10))"),
    ("PULL", "s.recv() if s.setsockopt(zmq.RCVTIMEO, 60000) is None else None"),
    ("PUSH", "s.send(b'x')"),  # no peer: send blocks
    ("PUSH", "s.send_multipart([b'a', b'b'])"),
    ("PUSH", "s.send(zmq.Frame(b'x'))"),
    ("PUSH", "s.send(b'x') if s.setsockopt(zmq.SNDTIMEO, 60000) is None else None"),
    ("PULL", "s.poll()"),
    ("PULL", "s.poll(60000)"),
    ("PULL", "p.poll()"),
    ("PULL", "zmq.select([s], [], [])"),
    ("PULL", "zmq.zmq_poll([(s, zmq.POLLIN), (rfd, zmq.POLLIN)], 60000)"),
    # zero-copy sends that libzmq holds on to: an inproc peer never reads
    ("PUSH", "tracker.wait()"),
    ("PUSH", "frame.tracker_event.wait()"),
]

# the held zero-copy messages the tracker waits need
HELD = """
peer = ctx.socket(zmq.PULL)
peer.linger = 0
s.bind("inproc://held")
peer.connect("inproc://held")
tracker = s.send(bytearray(1_000_000), copy=False, track=True)
frame = zmq.Frame(bytearray(1_000_000), track=True)
s.send(frame, copy=False)
assert not tracker.done and not frame.tracker.done
"""


# the proxies: between a PULL and a PUSH bound over inproc, idle or while
# a thread streams messages through them (a third one reads them)
PROXY_SOCKETS = """
front = ctx.socket(zmq.PULL)
back = ctx.socket(zmq.PUSH)
control = ctx.socket(zmq.PAIR)
for sock in (front, back, control):
    sock.linger = 0
front.bind("inproc://front")
back.bind("inproc://back")
control.bind("inproc://control")
"""

TRAFFIC = PROXY_SOCKETS + PUMP + """
src = ctx.socket(zmq.PUSH)
dst = ctx.socket(zmq.PULL)
for sock in (src, dst):
    sock.linger = 0
src.connect("inproc://front")
dst.connect("inproc://back")


payload = b"x" * 64
start_pumps(lambda: src.send(payload), dst.recv)
"""

PROXIES = {
    "proxy, idle": (PROXY_SOCKETS, "zmq.proxy(front, back)"),
    "proxy, under traffic": (TRAFFIC, "zmq.proxy(front, back)"),
    "proxy_steerable, under traffic": (TRAFFIC, "zmq.proxy_steerable(front, back, None, control)"),
    "device, idle": (PROXY_SOCKETS, "zmq.device(zmq.QUEUE, front, back)"),
}


@pytest.mark.parametrize("kind", list(PROXIES))
def test_sigint_during_a_proxy_always_lands(kind):
    setup, call = PROXIES[kind]
    assert_sigint_always_lands("PULL", call, setup)


# thread-safe (draft) sockets have no ZMQ_FD: their waits are libzmq's
# zmq_poll, in slices in the main thread too
DRAFT_CALLS = [
    ("SERVER", "s.recv()"),
    ("SERVER", "s.recv() if s.setsockopt(zmq.RCVTIMEO, 60000) is None else None"),
    ("SERVER", "s.poll()"),
    ("SERVER", "zmq.select([s], [], [])"),
]


@pytest.mark.parametrize("socket_type, call", CALLS, ids=[c for _, c in CALLS])
def test_sigint_at_random_offsets_always_lands(socket_type, call):
    setup = HELD if "tracker" in call else ""
    # a tracker wait that misses its slice takes a slice: fewer rounds
    assert_sigint_always_lands(socket_type, call, setup, TRACKER_ROUNDS if setup else ROUNDS)


def test_other_handler_returns_and_the_call_goes_on():
    # SIGUSR1's handler returns normally, many times, at random offsets: the
    # recv keeps waiting and then gets the message sent after the signals
    code = """
        import signal, sys, time
        import zmq
        count = 0
        def on_usr1(sig, frame):
            global count
            count += 1
            print("handled", count, flush=True)
        signal.signal(signal.SIGUSR1, on_usr1)
        ctx = zmq.Context()
        s = ctx.socket(zmq.PULL)
        s.linger = 0
        port = s.bind_to_random_port("tcp://127.0.0.1")
        s.rcvtimeo = 60000
        print("ready", port, flush=True)
        msg = s.recv()
        print("received", msg.decode(), count, flush=True)
        s.close()
        ctx.term()
    """
    import zmq

    rng = random.Random(7)
    with Child.python(code, ready="ready") as child:
        port = int(child.stdout().split()[1])
        for n in range(1, 51):
            time.sleep(rng.uniform(0.0, 0.002))  # the stimulus, not a synchronisation
            child.send_signal(signal.SIGUSR1)
            assert child.wait_for_line(f"handled {n}\n", MISSED_AFTER_S) is not None, (
                child.stderr(), threads_of(child.pid)
            )
        ctx = zmq.Context()
        try:
            push = ctx.socket(zmq.PUSH)
            push.linger = 0
            push.sndtimeo = 10000
            push.connect(f"tcp://127.0.0.1:{port}")
            push.send(b"after")
            assert child.wait_for_line("received after 50") is not None, child.stderr()
            push.close()
        finally:
            ctx.term()
        assert child.wait(10) == 0, child.stderr()


@needs_draft
@pytest.mark.parametrize("socket_type, call", DRAFT_CALLS, ids=[c for _, c in DRAFT_CALLS])
def test_sigint_on_a_thread_safe_socket_always_lands(socket_type, call):
    assert_sigint_always_lands(socket_type, call)
