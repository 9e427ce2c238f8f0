# SPDX-License-Identifier: BSD-3-Clause
"""What zero-copy sends keep alive for libzmq, under PyZMQ's names
(``zmq.utils.garbage.gc``, ``GarbageCollector``, ``gcref``).

zmq-core does its own bookkeeping in C (zmq.core.zerocopy):
libzmq's free callback never takes the GIL, and the Python references of
released buffers are dropped by the next zero-copy send, a tracker check, or
a small reaper thread. ``gc.refs`` reads that bookkeeping: one entry per
buffer libzmq holds at this moment, plus anything handed to ``store()``.
"""

from __future__ import annotations

import os
import threading
from itertools import count
from typing import Any, NamedTuple

from zmq.core import message as _message
from zmq.core import zerocopy as _zerocopy
from zmq.core.osthread import OSEvent, OSThread


class gcref(NamedTuple):
    """A buffer held for libzmq, and the event set once it is released."""

    obj: Any
    event: Any


class GarbageCollectorThread(OSThread):
    """The reaper thread (PyZMQ's name for the thread of its collector):
    waits, without the GIL, for libzmq to release buffers, then drops their
    Python references. zmq-core starts it with the first zero-copy send;
    ``gc.thread`` is the running one. An OS thread even under gevent's or
    eventlet's monkey-patching: as a greenlet its wait would freeze them."""

    def __init__(self, gc: GarbageCollector) -> None:
        super().__init__(name="zmq-zero-copy-reaper", daemon=True)
        self.gc = gc
        self.pid = os.getpid()
        # set once the thread runs (PyZMQ's callers wait on it)
        self.ready = OSEvent()

    def run(self) -> None:
        self.ready.set()
        _zerocopy._reap()


class GarbageCollector:
    """Keeps objects alive while libzmq uses their memory.

    ``refs`` maps an id to a :class:`gcref` for every buffer of a zero-copy
    message that libzmq has not released yet (ids stay the same while the
    buffer is held), and for objects kept with :meth:`store` until
    :meth:`release`. ``start()``/``stop()``/``is_alive()`` control the reaper
    thread, which drops the buffers libzmq released while no other code of
    zmq-core ran (it starts by itself with the first zero-copy send).
    """

    def __init__(self) -> None:
        self._stored: dict[int, gcref] = {}
        self._lock = threading.Lock()
        # far above the ids of the C bookkeeping, which count from 1
        self._ids = count(1 << 62)

    @property
    def refs(self) -> dict[int, gcref]:
        """{id: gcref} of what is held for libzmq right now."""
        held = {
            key: gcref(obj, _message.TrackerEvent(tracker) if tracker is not None else None)
            for key, (obj, tracker) in _zerocopy._held_buffers().items()
        }
        with self._lock:
            held.update(self._stored)
        return held

    def store(self, obj: object, event: threading.Event | None = None) -> int:
        """Keep *obj* alive until ``release(id)``; returns the id."""
        key = next(self._ids)
        with self._lock:
            self._stored[key] = gcref(obj, event)
        return key

    def release(self, key: int) -> None:
        """Drop an object kept by store() and set its event, if any."""
        with self._lock:
            ref = self._stored.pop(key, None)
        if ref is not None and ref.event is not None:
            ref.event.set()

    def start(self) -> None:
        """Start the reaper thread (it also starts by itself when needed)."""
        _zerocopy._start_reaper()

    def stop(self) -> None:
        """Stop the reaper thread, dropping what libzmq already released."""
        _zerocopy._stop_reaper()

    def is_alive(self) -> bool:
        """Whether the reaper thread runs in this process."""
        return bool(_zerocopy._reaper_alive())

    @property
    def thread(self) -> GarbageCollectorThread | None:
        """The reaper thread running in this process, if any."""
        reaper: GarbageCollectorThread | None = _zerocopy._current_reaper()
        return reaper


gc = GarbageCollector()

__all__ = ["GarbageCollector", "GarbageCollectorThread", "gc", "gcref"]
