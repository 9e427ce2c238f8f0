# SPDX-License-Identifier: BSD-3-Clause
"""Programs run under gevent's or eventlet's monkey-patching, in a child
(patching is for a whole process), with a ticker green thread beside them:
if anything blocks the hub (a thread of the stack turned into a green
thread, waiting inside libzmq), the ticker stops and the check fails."""

import textwrap

from zmq_testkit.processes import run_python

# the ticker sleeps this long: a gap of STALL_S between ticks means a stall
TICK_S = 0.005
STALL_S = 1.0
# finish() idles this long, the program's threads still running; nothing may
# spin meanwhile: the process spends at most IDLE_CPU_S of CPU
IDLE_S = 0.5
IDLE_CPU_S = 0.15

_PROLOGUES = {
    "gevent": """
from gevent import monkey

monkey.patch_all()
import gevent as _green
""",
    "eventlet": """
import eventlet as _green

_green.monkey_patch()
""",
}

_TICKER = f"""
import resource as _resource
import time as _time

ticks = []


def _tick():
    while True:
        _green.sleep({TICK_S})
        ticks.append(_time.monotonic())


_ticker = _green.spawn(_tick)


def _cpu():
    usage = _resource.getrusage(_resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def finish(*fields):
    # idle a moment (the program's threads still waiting), stop ticking,
    # report the longest gap, the idle CPU, then the program's fields
    start = _cpu()
    _green.sleep({IDLE_S})
    idle_cpu = _cpu() - start
    _ticker.kill()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])] or [0.0]
    print("ok", round(max(gaps), 3), round(idle_cpu, 3), *fields, flush=True)
"""


def run_green(program, *args, library="gevent", timeout=60):
    """Run `program` (Python source) in a child after `library` patched
    everything, with the ticker running; the program calls finish(*fields)
    while the stack's threads it started still run, then cleans up. Fails
    the test if the child failed, the hub stalled, or the idle moment cost
    CPU (something spins); returns the fields, as strings."""
    code = _PROLOGUES[library] + _TICKER + textwrap.dedent(program)
    result = run_python(code, *map(str, args), timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    status, max_gap, idle_cpu, *fields = result.stdout.split()
    assert status == "ok", result.stdout
    assert float(max_gap) < STALL_S, f"the hub stalled for {max_gap} s\n{result.stdout}"
    assert float(idle_cpu) < IDLE_CPU_S, f"{idle_cpu} s of CPU in {IDLE_S} s idle\n{result.stdout}"
    return fields


# Large messages under patching, the zero-copy reaper at work: 100 kB and
# 4 MiB, copied, zero-copy and tracked, between the library's green zmq
# sockets; argv: transport, library
_LARGE_MESSAGES = """
import sys

import zmq.utils.garbage
from zmq.core.osthread import get_ident
from zmq_testkit import connected_pair

transport, library = sys.argv[1:3]
if library == "gevent":
    import zmq.green as green_zmq
else:
    from eventlet.green import zmq as green_zmq


def wait_until(done, seconds, what):
    deadline = _time.monotonic() + seconds
    while not done():
        assert _time.monotonic() < deadline, what
        _green.sleep(0.001)


ctx = green_zmq.Context()
pull, push = connected_pair(ctx, green_zmq.PULL, green_zmq.PUSH, transport, timeout_ms=10000)
for size in (100_000, 4 * 1024 * 1024):
    # a copied send is never tracked (PyZMQ's rule): copy=True tracks nothing
    for copy, track in ((True, False), (False, False), (False, True)):
        payloads = [bytes([n]) * size for n in range(4)]
        received = []
        _green.spawn(lambda: [received.append(pull.recv()) for _ in payloads])
        trackers = [push.send(p, copy=copy, track=track) for p in payloads]
        wait_until(lambda: len(received) == len(payloads), 20, (size, copy, track))
        assert received == payloads, (size, copy, track)
        for t in trackers if track else ():
            wait_until(lambda: t.done, 10, "tracker never done")
reaper = zmq.utils.garbage.gc.thread
assert reaper is not None and reaper.is_alive(), reaper
assert reaper.ident != get_ident(), "the reaper runs in the main OS thread"
finish()  # idle, the reaper waiting
push.close()
pull.close()
ctx.term()
"""


def run_large_messages(transport, library="gevent"):
    """Under `library`'s patching, send 100 kB and 4 MiB messages over
    `transport` between its green zmq sockets, copied, zero-copy and
    tracked, and check the zero-copy reaper is an OS thread (run_green's
    stall and idle-CPU checks apply)."""
    assert run_green(_LARGE_MESSAGES, transport, library, library=library) == []
