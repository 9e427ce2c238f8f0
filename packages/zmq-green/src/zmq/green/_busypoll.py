# SPDX-License-Identifier: BSD-3-Clause
"""Adaptive busy-polling for green sockets, as zmq-eventloop's for asyncio:
a greenlet about to sleep on a socket first keeps the hub turning for a few
microseconds, looking at the socket again after each turn.

Why: a reply from a peer on the same machine reaches the socket through
libzmq's I/O thread, which then has to wake the hub's thread, sleeping in
the loop's poll. That wake-up often costs more than the exchange itself (tens
of microseconds on a virtual machine). A hub that is still turning sees the
message at its next look. Every other greenlet runs meanwhile: the spinning
greenlet yields to the hub (``gevent.sleep(0)``) between looks.

Adaptive, per hub: a wait extends the hub's spin to the budget from now;
a spin that ends with nothing seen by any greenlet of that hub makes the
next wait sleep at once, after a second the next three, and so on up to 64
waits; a spin that saw something restores it. An idle program spins for at
most one budget every 64 waits.

The budget is the environment variable ``ZMQ_BUSY_POLL_US`` (microseconds,
default 100, read at import, the same variable as zmq-eventloop's); 0 turns
busy-polling off.
"""

from __future__ import annotations

import os
import weakref
from time import perf_counter
from typing import Any


def _budget_from_environment() -> float:
    raw = os.environ.get("ZMQ_BUSY_POLL_US", "100")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"ZMQ_BUSY_POLL_US must be a number of microseconds, not {raw!r}") \
            from None
    return max(value, 0.0) / 1e6


BUDGET = _budget_from_environment()
_MAX_SKIP = 64
_MAX_MISSES = 7  # 2**7 - 1 > _MAX_SKIP: more misses change nothing


class BusyPoll:
    """The busy-poll state of one hub."""

    __slots__ = ("deadline", "successes", "misses", "skip", "__weakref__")

    def __init__(self) -> None:
        self.deadline = 0.0
        self.successes = 0  # spins that saw what they waited for
        self.misses = 0  # spins in a row that saw nothing
        self.skip = 0  # waits left to sleep through before spinning again

    def waiting(self) -> bool:
        """A greenlet is about to wait: True if it should spin first."""
        if BUDGET <= 0:
            return False
        if self.skip:
            self.skip -= 1
            return False
        self.deadline = perf_counter() + BUDGET
        return True

    def succeeded(self) -> None:
        self.successes += 1
        self.misses = 0

    def over(self, ticket: int) -> bool:
        """True once the spin that began when ``successes`` was *ticket*
        should end; counts a miss when nothing was seen meanwhile."""
        if perf_counter() < self.deadline:
            return False
        if self.successes == ticket:
            self.misses = misses = min(self.misses + 1, _MAX_MISSES)
            self.skip = min((1 << misses) - 1, _MAX_SKIP)
        return True


# hub -> BusyPoll; weakly, so a thread's hub that is gone leaves it
_by_hub: weakref.WeakKeyDictionary[Any, BusyPoll] = weakref.WeakKeyDictionary()


def busy_poll_for(hub: Any) -> BusyPoll:
    busy = _by_hub.get(hub)
    if busy is None:
        busy = _by_hub[hub] = BusyPoll()
    return busy
