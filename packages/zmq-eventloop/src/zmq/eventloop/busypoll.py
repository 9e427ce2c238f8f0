# SPDX-License-Identifier: BSD-3-Clause
"""Adaptive busy-polling: an event loop keeps turning for a few microseconds
after a zmq socket had to wait, instead of going to sleep at once.

Why: a message from a peer on the same machine (or a fast LAN) reaches a
socket through libzmq's I/O thread, which then wakes the loop's thread
through the socket's FD. Waking a sleeping thread, and on a virtual machine
the idle CPU under it, costs tens of microseconds: often more than the
exchange itself. A loop that is still turning sees the FD at its next
``select(0)`` and pays nothing. Every other callback and task keeps running
meanwhile: the spin is a callback that reschedules itself, so the loop's
``select()`` gets a zero timeout and nothing else is delayed.

Why adaptive: spinning pays only when the answer comes within the budget.
A spin during which nothing arrived (a slow, remote or idle peer) makes the
next wait sleep at once, after a second such spin the next three, and so on
up to 64 waits; one spin that is answered restores it. An idle program thus
spins for at most one budget every 64 waits.

Why a spinning task gives way: a turn of a task's spin (see
zmq.eventloop._futures) ends with ``sched_yield()``. The answer it waits
for is made by libzmq's I/O thread; when that thread wakes on the CPU the
task spins on (every core busy, as on a loaded machine), a spin that kept
the CPU would only delay it. Giving way lets it run at once. When nothing
else wanted the CPU (the call came back within 3 µs), the rest of that spin
does not give way: on an idle machine the calls only lengthened the turns.
(REQ/REP over tcp on one loop, 2-core machine, one core kept busy by
another process: 56-58 µs per round trip instead of 75, with less CPU; the
same as before on the idle machine.) The loop's own spin callback
(ZMQStream, futures nobody awaits directly) does not give way: there it
made a ZMQStream echo slower.

The budget is 100 µs per loop by default, the environment variable
``ZMQ_BUSY_POLL_US`` changes the default, and :func:`set_busy_poll` changes
it for the whole program or one loop; 0 turns busy-polling off. It trades a
little CPU (the loop thread stays busy while a reply is on its way) for
latency, like Linux's ``net.core.busy_poll``.
"""

import os
import time
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["get_busy_poll", "set_busy_poll"]


def _budget_from_environment() -> float:
    raw = os.environ.get("ZMQ_BUSY_POLL_US", "100")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"ZMQ_BUSY_POLL_US must be a number of microseconds, not {raw!r}") \
            from None
    return max(value, 0.0) / 1e6


_default_budget = _budget_from_environment()
_MAX_SKIP = 64
_MAX_MISSES = 7  # 2**7 - 1 > _MAX_SKIP: more misses change nothing

_now = time.perf_counter
_sched_yield: Callable[[], None] | None = getattr(os, "sched_yield", None)
# a sched_yield() that came back sooner ran no other thread
_GAVE_WAY = 3e-6


def give_way() -> bool:
    """Let a thread that waits for this CPU run first (``sched_yield()``);
    True if one did (the call took 3 µs or more), False if nothing else
    wanted the CPU (or the OS has no sched_yield)."""
    if _sched_yield is None:
        return False
    start = _now()
    _sched_yield()
    return _now() - start >= _GAVE_WAY


# loop -> BusyPoll; a BusyPoll refers to its loop weakly, so a closed and
# dropped loop leaves this table
_spinners: "weakref.WeakKeyDictionary[object, BusyPoll]" = weakref.WeakKeyDictionary()


class BusyPoll:
    """The busy-poll state of one event loop (see the module docstring).

    Sockets and streams call :meth:`waiting` when an operation starts to
    wait, and :meth:`progress` when one that waited has completed.
    """

    __slots__ = ("_loop", "budget", "_deadline", "_spinning", "_progress", "_misses",
                 "_skip", "_tasks", "_parked", "__weakref__")

    def __init__(self, loop: Any, budget: float | None = None) -> None:
        self._loop: Callable[[], Any]
        try:
            self._loop = weakref.ref(loop)
        except TypeError:  # a loop type that refuses weak references
            self._loop = lambda: loop
        # seconds; None follows the program-wide default
        self.budget = budget
        self._deadline = 0.0
        self._spinning = False
        self._progress = False  # something completed during this spin
        self._misses = 0  # spins in a row during which nothing arrived
        self._skip = 0  # waits left to sleep through before spinning again
        # tasks spinning themselves (zmq.asyncio's awaited futures): their
        # turns keep the loop from sleeping, so the spin's own callback
        # waits (parked) until the last of them is done
        self._tasks = 0
        self._parked = False

    def waiting(self) -> bool:
        """An operation is now waiting on this loop: spin for the budget.
        True if the loop spins for it."""
        budget = _default_budget if self.budget is None else self.budget
        if budget <= 0:
            return False
        if self._skip:
            self._skip -= 1
            return False
        self._deadline = _now() + budget
        if not self._spinning:
            loop = self._loop()
            if loop is None or loop.is_closed():
                return False
            self._spinning = True
            self._progress = False
            loop.call_soon(self._turn)
        return True

    def progress(self) -> None:
        """An operation that waited has completed."""
        self._progress = True

    @property
    def spinning(self) -> bool:
        """True while the loop is being kept turning."""
        return self._spinning

    def turning(self) -> bool:
        """True while the spin goes on (for a task that spins itself)."""
        return self._spinning and _now() < self._deadline

    def task_spins(self) -> None:
        """A task turns the loop itself (one bare yield per turn) while it
        spins: until :meth:`task_stops`, the spin needs no callback of its own."""
        self._tasks += 1

    def task_stops(self) -> None:
        self._tasks -= 1
        if not self._tasks and self._parked:
            self._parked = False
            loop = self._loop()
            if loop is not None and not loop.is_closed():
                loop.call_soon(self._turn)

    def _turn(self) -> None:
        if _now() < self._deadline:
            if self._tasks:
                self._parked = True
                return
            loop = self._loop()
            if loop is not None:
                loop.call_soon(self._turn)
                return
        self._spinning = False
        if self._progress:
            self._misses = 0
        else:
            # nothing arrived while spinning: sleep through the next waits
            self._misses = min(self._misses + 1, _MAX_MISSES)
            self._skip = min((1 << self._misses) - 1, _MAX_SKIP)


def for_loop(loop: Any) -> BusyPoll:
    """The BusyPoll of *loop*, made on first use."""
    try:
        spinner = _spinners.get(loop)
    except TypeError:  # a loop type that refuses weak references
        return BusyPoll(loop)
    if spinner is None:
        spinner = _spinners[loop] = BusyPoll(loop)
    return spinner


def set_busy_poll(microseconds: float, loop: Any = None) -> None:
    """Set how long (µs) a loop keeps turning after a zmq operation started
    to wait; 0 turns busy-polling off. Without *loop*, for every loop that
    has no budget of its own."""
    global _default_budget
    if isinstance(microseconds, bool) or not isinstance(microseconds, (int, float)):
        raise TypeError(f"set_busy_poll() takes a number of microseconds, not {microseconds!r}")
    if microseconds < 0:
        raise ValueError(f"set_busy_poll() takes microseconds >= 0, not {microseconds!r}")
    if loop is None:
        _default_budget = microseconds / 1e6
    else:
        for_loop(loop).budget = microseconds / 1e6


def get_busy_poll(loop: Any = None) -> float:
    """The busy-poll budget in µs: *loop*'s, or the program-wide default."""
    if loop is not None:
        budget = for_loop(loop).budget
        if budget is not None:
            return budget * 1e6
    return _default_budget * 1e6
