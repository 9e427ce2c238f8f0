# SPDX-License-Identifier: BSD-3-Clause
"""Ctrl-C lands: a child loops a blocking call while the parent sends SIGINT
at random offsets from the call's start, and measures how soon the
KeyboardInterrupt reached the caller (the harness of zmq-core's
test_ctrl_c.py, shared with the other distributions' tests).

Before each call the child prints a line and reads a go byte from a pipe.
The parent, once it reads that line, writes the byte and sends SIGINT after
a random offset: 0 in a third of the rounds, else aimed at the call's start
(the child's recent delay from go byte to call, -2..+8 us; up to 0.3 ms
until that is known), where a signal lands before the wait in the kernel.
The child's handler records when it ran and raises; the child reports when
the exception reached it. Both use CLOCK_MONOTONIC, which Linux shares
between processes, so the parent measures from the moment it sent the
signal."""

import os
import random
import signal
import textwrap
import time

from zmq_testkit.processes import Child, python_command

ROUNDS = 200
DEADLINE_S = 0.1
# how long the parent waits for a round's outcome before calling it missed
MISSED_AFTER_S = 10.0

CHILD = """
import os, signal, sys, time
import zmq

rfd, wfd = os.pipe()  # a file descriptor nobody writes, for zmq_poll

handled_at = None

def on_sigint(sig, frame):
    global handled_at
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            # Free-threaded CPython 3.13 was seen running this handler
            # inside importlib's weakref callback for a module lock being
            # freed, where CPython drops the exception ("Exception ignored
            # in"): the signal would be lost outside zmq. It comes again as
            # SIGALRM in 1 ms, a real signal, once the callback is done.
            signal.setitimer(signal.ITIMER_REAL, 0.001)
            return
        frame = frame.f_back
    handled_at = time.monotonic()
    raise KeyboardInterrupt

signal.signal(signal.SIGINT, on_sigint)
signal.signal(signal.SIGALRM, on_sigint)
ctx = zmq.Context()
s = ctx.socket(zmq.{socket_type})
s.linger = 0
port = s.bind_to_random_port("tcp://127.0.0.1")
p = zmq.Poller()
p.register(s, zmq.POLLIN if zmq.{socket_type} == zmq.PULL else zmq.POLLOUT)
{setup}
go = int(sys.argv[1])
# each round's report is printed inside the try; the call starts when the
# parent's go byte arrives, the signal follows it at a random offset, so it
# lands anywhere from the call's start to its wait in the kernel (or, at
# times, still in the read, which counts as well)
report = f"ready {{port}}"
started_at = None
i = 0
while i < {rounds}:
    try:
        print(report, flush=True)
        started_at = None
        os.read(go, 1)
        started_at = time.monotonic()
        {call}
        print("returned", i, flush=True)
        break
    except KeyboardInterrupt:
        caught_at = time.monotonic()
        report = f"caught {{i}} {{handled_at}} {{caught_at}} {{started_at}}"
        handled_at = None
        i += 1
print(report, flush=True)
ctx.destroy(linger=0)
print("done", flush=True)
"""

def threads_of(pid):
    """For a missed signal: each thread of process pid with where it sleeps
    and its blocked and pending signals."""
    # for a missed signal: each thread's blocked and pending signals, and
    # where it sleeps
    found = []
    for task in sorted(os.listdir(f"/proc/{pid}/task")):
        with open(f"/proc/{pid}/task/{task}/status") as f:
            status = dict(line.split(":", 1) for line in f if ":" in line)
        with open(f"/proc/{pid}/task/{task}/wchan") as f:
            wchan = f.read()
        try:
            with open(f"/proc/{pid}/task/{task}/syscall") as f:
                wchan += " syscall " + f.read().split()[0]  # 7 poll, 271 ppoll
        except OSError:
            pass
        found.append((task, wchan, *(status[k].strip() for k in ("SigBlk", "SigPnd", "ShdPnd"))))
    return found


def _spin(seconds):
    # the random offset itself (finer than a sleep can be), not a wait for anything
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def _default_sigint():
    # a shell running the tests in the background hands SIGINT down as ignored
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def assert_sigint_always_lands(socket_type, call, setup="", rounds=ROUNDS):
    """Run `call` (a statement) in a child, `rounds` times, each time sending
    SIGINT at a random offset from its start; fail unless every one raised
    KeyboardInterrupt within DEADLINE_S. The child has made `ctx`, a socket
    `s` of `socket_type` (bound to tcp 127.0.0.1), a Poller `p` on it and an
    fd `rfd` nobody writes to; then ran `setup` (statements, dedented)."""
    rng = random.Random(hash(call))
    code = CHILD.format(socket_type=socket_type, call=call, rounds=rounds,
                        setup=textwrap.dedent(setup))
    late = []
    missed = None
    starts = []
    go_read, go_write = os.pipe()
    try:
        child = Child(python_command(code, go_read), preexec_fn=_default_sigint,
                      pass_fds=(go_read,))
    finally:
        os.close(go_read)
    with child, open(go_write, "wb", buffering=0) as go:
        line = child.wait_for_line("ready ")
        assert line is not None, child.stderr()[-2000:]
        previous = "ready "
        for i in range(rounds):
            assert child.wait_for_line(lambda line, p=previous: line.startswith(p)) is not None, (
                child.stdout()[-500:], child.stderr()[-2000:],
            )
            # aimed at the call's start: how long the child took from the go
            # byte to the call, lately, give or take a few microseconds
            if rng.random() < 1 / 3:
                offset = 0.0
            elif len(starts) < 5:
                offset = rng.uniform(0.0, 300e-6)
            else:
                offset = max(0.0, sorted(starts)[len(starts) // 2] + rng.uniform(-2e-6, 8e-6))
            go_at = time.monotonic()
            go.write(b"g")
            if offset:
                _spin(go_at + offset - time.monotonic())
            sent_at = time.monotonic()
            child.send_signal(signal.SIGINT)
            line = child.wait_for_line(
                lambda line, i=i: line.startswith((f"caught {i} ", f"returned {i}")),
                MISSED_AFTER_S,
            )
            if line is None:
                missed = (i, offset, child.stdout()[-300:], child.stderr()[-1500:],
                          threads_of(child.pid))
                break
            assert line.startswith("caught"), line
            previous = f"caught {i} "
            _, _, handled_at, caught_at, started_at = line.split()
            if started_at != "None" and float(started_at) > go_at:
                starts = (starts + [float(started_at) - go_at])[-20:]
            if handled_at != "None":
                # the exception reached the caller soon after the handler ran
                assert float(caught_at) - float(handled_at) < DEADLINE_S, line
            if float(caught_at) - sent_at > DEADLINE_S:
                late.append((i, offset, float(caught_at) - sent_at))
        if missed is None:
            assert child.wait_for_line("done\n") is not None, child.stderr()[-2000:]
    assert missed is None, (
        f"SIGINT {missed[0]} (offset {missed[1] * 1e3:.3f} ms) never landed: {missed[2:]}"
    )
    assert not late, f"KeyboardInterrupt later than {DEADLINE_S * 1e3:.0f} ms: {late}"
