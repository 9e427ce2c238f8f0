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
