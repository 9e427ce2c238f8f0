# SPDX-License-Identifier: BSD-3-Clause
"""Close and term from another thread: one race, repeated with random
offsets in a fresh interpreter (the harness of zmq-core's test_threads.py,
shared with the other distributions' tests).

A waiter thread blocks on a socket (WAIT, a statement), the main thread
waits until it is about to, spins for a random 0-300 us and then does ACT
from outside. What WAIT needs made first (more sockets: a control socket, a
monitor) is PREPARE, which the waiter runs before it says it is about to
wait: without the GIL an ACT at offset 0 can otherwise come first, and a
socket made after term() starts fails with ETERM, whatever the wait does.
The waiter must raise the expected errno within 100 ms of ACT. The races
run in a child: a close() from another thread used to trip a libzmq
assertion (SIGABRT) or hang, which would take the test runner down with
it."""

from zmq_testkit.processes import run_python

# each round makes a context and two connected PAIR pairs over inproc:
# sock (which WAIT blocks on and ACT closes) with peer, and back with
# back_peer (for waits that need a second socket: a proxy's backend).
# WAIT may append the sockets it makes to `others`; on ETERM the waiter
# closes every socket, as a program does so that term() can return.
# Prints "ok <worst ms>".
# child code for the tests that keep traffic flowing through a device
# while they race it: pump(op) calls op in a daemon thread's loop until
# the socket under it is closed or its context ends (a ZMQError)
PUMP = """
import threading

def pump(op):
    try:
        while True:
            op()
    except zmq.ZMQError:
        pass

def start_pumps(*ops):
    for op in ops:
        threading.Thread(target=pump, args=(op,), daemon=True).start()
"""

# child code: spin(seconds) busy-waits a race's random offset (a sleep is
# far coarser than the 0-300 us window under test)
SPIN = """
import time

def spin(seconds):
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        pass
"""

RACE = SPIN + """
import random, sys, threading, time
import zmq

prepare_code, wait_code, act_code, errno_name, rounds, setup = sys.argv[1:7]
expected = getattr(zmq, errno_name)
rng = random.Random(22)
worst = 0.0
exec(setup)
for n in range(int(rounds)):
    ctx = zmq.Context()
    sockets = []
    for name in ("sock", "peer", "back", "back_peer"):
        s = ctx.socket(zmq.PAIR)
        s.linger = 0
        sockets.append(s)
    sock, peer, back, back_peer = sockets
    sock.bind(f"inproc://race-{n}")
    peer.connect(f"inproc://race-{n}")
    back.bind(f"inproc://race-back-{n}")
    back_peer.connect(f"inproc://race-back-{n}")
    others = []
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    about_to_wait = threading.Event()
    outcome = []

    def close_all():
        for s in sockets + others:
            s.close()

    def waiter():
        exec(prepare_code, globals())
        about_to_wait.set()
        try:
            exec(wait_code, globals())
            outcome.append(("returned", None))
        except zmq.ZMQError as e:
            outcome.append((e.errno, time.monotonic()))
            if e.errno == zmq.ETERM:
                close_all()

    thread = threading.Thread(target=waiter)
    thread.start()
    about_to_wait.wait(5)
    spin(rng.uniform(0, 300e-6))
    acted = time.monotonic()
    exec(act_code)
    thread.join(5)
    if thread.is_alive():
        print(f"round {n}: the waiter is still blocked 5 s after {act_code!r}")
        sys.exit(1)
    what, when = outcome[0]
    if what != expected:
        print(f"round {n}: the waiter ended with {what!r}, not {errno_name}")
        sys.exit(1)
    worst = max(worst, (when - acted) * 1000)
    close_all()
    if not ctx.closed:
        ctx.destroy(linger=0)
print(f"ok {worst:.1f}")
"""

# what the main thread does, and the errno the waiter must raise
ACTS = {
    "close": ("sock.close()", "ENOTSOCK"),
    "close backend": ("back.close()", "ENOTSOCK"),
    "Context.destroy": ("ctx.destroy(linger=0)", "ENOTSOCK"),
    "Context.term": ("ctx.term()", "ETERM"),
}

# the worst delay allowed between ACT and the waiter's error
DEADLINE_MS = 100


def assert_race_wakes_the_waiter(wait, act, rounds, setup="", timeout=120):
    """Run the race `rounds` times: `wait` (WAIT, or a (PREPARE, WAIT) pair)
    blocks in the waiter thread, ACTS[act] happens in the main thread; fail
    unless every round's waiter raised the act's errno, the worst within
    DEADLINE_MS. `setup` runs once in the child first (imports, helpers)."""
    prepare_code, wait_code = ("", wait) if isinstance(wait, str) else wait
    act_code, errno_name = ACTS[act]
    result = run_python(RACE, prepare_code, wait_code, act_code, errno_name, rounds, setup,
                        timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    worst_ms = float(result.stdout.split()[-1])
    assert worst_ms < DEADLINE_MS, f"a waiter took {worst_ms} ms to see {act}"


def assert_rounds_pass(code, rounds, timeout=100):
    """Run child `code` for `rounds` rounds (its argv[1]) in a fresh
    interpreter; fail unless it exits 0 having printed "ok" alone."""
    result = run_python(code, rounds, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok"
