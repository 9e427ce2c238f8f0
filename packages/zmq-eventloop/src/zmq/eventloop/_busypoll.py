# SPDX-License-Identifier: BSD-3-Clause
"""Adaptive busy-polling: keep an event loop turning for a few microseconds
after a zmq socket had to wait, instead of letting it sleep at once.

Why: a message from a peer on the same machine (or a fast LAN) reaches the
socket through libzmq's I/O thread, which wakes the loop's thread through
the socket's FD. Waking a sleeping thread, and on a virtual machine the idle
CPU under it, costs tens of microseconds, often more than the exchange
itself. A loop that is still turning when the FD fires sees it at its next
``select(0)`` and pays nothing. The loop keeps running every other callback
and task meanwhile: the spin is a callback that reschedules itself.

Why adaptive: spinning only pays when the answer comes within the budget.
When a spin ends with nothing arrived (a slow or idle peer), the next waits
go straight to sleep, and after each further miss twice as many, up to
``_MAX_SKIP``; one wait that is answered while spinning restores it. An
idle program spins at most one budget per ``_MAX_SKIP`` waits.
"""

import os
import time
import weakref

# how long a loop keeps turning after a zmq operation started waiting
DEFAULT_BUDGET_US = int(os.environ.get("ZMQ_BUSY_POLL_US", "100"))
_MAX_SKIP = 64

_now = time.perf_counter
_spinners: "weakref.WeakKeyDictionary[object, BusyPoll]" = weakref.WeakKeyDictionary()


class BusyPoll:
    """The busy-poll state of one event loop (see the module docstring)."""

    __slots__ = ("loop", "budget", "_deadline", "_spinning", "_progress", "_misses", "_skip",
                 "__weakref__")

    def __init__(self, loop, budget_us=None):
        self.loop = loop
        self.budget = (DEFAULT_BUDGET_US if budget_us is None else budget_us) / 1e6
        self._deadline = 0.0
        self._spinning = False
        self._progress = False  # something completed during this spin
        self._misses = 0  # spins in a row during which nothing arrived
        self._skip = 0  # waits left to sleep through before spinning again

    def waiting(self):
        """A zmq operation (or a ZMQStream) is now waiting on this loop."""
        if self.budget <= 0:
            return
        if self._skip:
            self._skip -= 1
            return
        self._deadline = _now() + self.budget
        if not self._spinning:
            self._spinning = True
            self._progress = False
            self.loop.call_soon(self._turn)

    def progress(self):
        """Something that was waiting has completed."""
        self._progress = True

    def _turn(self):
        if _now() < self._deadline:
            self.loop.call_soon(self._turn)
            return
        self._spinning = False
        if self._progress:
            self._misses = 0
        else:
            # nothing arrived while spinning: sleep through the next waits
            self._misses += 1
            self._skip = min((1 << self._misses) - 1, _MAX_SKIP)


def for_loop(loop):
    """The BusyPoll of *loop* (made on first use)."""
    spinner = _spinners.get(loop)
    if spinner is None:
        spinner = _spinners[loop] = BusyPoll(loop)
    return spinner
