# SPDX-License-Identifier: BSD-3-Clause
"""What zero-copy sends keep alive for libzmq, under PyZMQ's names
(``zmq.utils.garbage.gc``, ``GarbageCollector``, ``gcref``).

zmq-core does its own bookkeeping in C (zmq.core.zerocopy):
libzmq's free callback never takes the GIL, and the Python references of
released buffers are dropped by the next zero-copy send, a tracker check, or
a small reaper thread. ``gc.refs`` is a read-only view of that bookkeeping:
one entry per buffer libzmq holds at the moment it is read, plus anything
handed to ``store()``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from itertools import chain, count
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
    Python references. An OS thread even under gevent's or eventlet's
    monkey-patching: as a greenlet its wait would freeze them.

    zmq-core starts its reaper with the first zero-copy send as a C thread
    (so that the send pays no import, no object and no hand-over of the
    GIL); ``gc.thread`` is an object of this class that stands for it
    (``ident``, ``native_id``, ``is_alive()``, ``join()``, ``ready``). One
    made and started by hand reaps in its own thread until ``gc.stop()``."""

    def __init__(self, gc: GarbageCollector) -> None:
        super().__init__(name="zmq-zero-copy-reaper", daemon=True)
        self.gc = gc
        self.pid = os.getpid()
        # set once the thread runs (PyZMQ's callers wait on it)
        self.ready = OSEvent()
        # the start of zmq-core's reaper this object stands for (0: none)
        self._incarnation = 0

    @classmethod
    def _standing_for(
        cls, gc: GarbageCollector, incarnation: int, ident: int, native_id: int
    ) -> GarbageCollectorThread:
        """The object that stands for zmq-core's running reaper."""
        thread = cls(gc)
        thread._incarnation = incarnation
        # started (start() refuses), with the ids of the C thread: the
        # attributes OSThread's own start and threading.Thread's ident and
        # native_id read
        thread.__dict__.update(_os_started=True, _ident=ident, _native_id=native_id)
        thread.ready.set()
        return thread

    def run(self) -> None:
        self.ready.set()
        _zerocopy._reap()

    def is_alive(self) -> bool:
        """Whether the thread runs."""
        if self._incarnation:
            return _zerocopy._reaper_alive(self._incarnation)
        return super().is_alive()

    def join(self, timeout: float | None = None) -> None:
        """Wait until the thread ends, at most *timeout* seconds."""
        if self._incarnation:
            _zerocopy._join_reaper(timeout)
        else:
            super().join(timeout)

    def __repr__(self) -> str:
        if not self._incarnation:
            return super().__repr__()
        status = "started" if self.is_alive() else "stopped"
        return f"<{type(self).__name__}({self.name}, {status} daemon {self.ident})>"


class HeldRefs(Mapping[int, gcref]):
    """What ``gc.refs`` is: a read-only, live view of what is kept alive for
    libzmq, ``{id: gcref}``.

    Live, as PyZMQ's dict, which its collector updated in place: every
    lookup reads the bookkeeping as it is at that moment, so a buffer libzmq
    took since shows up and one it released is gone (its Python references
    dropped by then). An id stays the same while its buffer is held.
    ``in``, ``len()`` and iteration cost a dictionary lookup while nothing
    was taken or released since the last one (a generation number that
    every hold and release moves says so); otherwise the ids are listed
    again. ``items()``, ``values()`` and ``copy()`` (a dict) are each one
    consistent snapshot; ``dict(gc.refs)`` looks the ids up one by one, and
    raises KeyError if libzmq releases one meanwhile. Nothing here keeps a
    buffer alive longer than libzmq needs it: only what you take out of the
    view does.

    It cannot be changed: item assignment and ``del`` raise TypeError, and
    there is no ``pop``, ``clear`` or ``update``. Keep an object with
    ``gc.store()`` and let it go with ``gc.release()``.
    """

    __slots__ = ("_gc",)

    def __init__(self, gc: GarbageCollector) -> None:
        self._gc = gc

    def __contains__(self, key: object) -> bool:
        return key in self._gc._stored or key in self._gc._held_ids()

    def __len__(self) -> int:
        return len(self._gc._held_ids()) + len(self._gc._stored)

    def __iter__(self) -> Iterator[int]:
        # the cached ids are replaced, never changed, when the set moves
        return chain(self._gc._held_ids(), tuple(self._gc._stored))

    def __getitem__(self, key: int) -> gcref:
        ref = self._gc._stored.get(key)
        if ref is not None:
            return ref
        if key in self._gc._held_ids():
            held = _zerocopy._held_buffer(key)
            if held is not None:
                obj, tracker = held
                return gcref(obj, _message.TrackerEvent(tracker) if tracker is not None else None)
        raise KeyError(key)

    def items(self) -> ItemsView[int, gcref]:
        """A snapshot of every entry, taken at once."""
        return self._gc._snapshot().items()

    def values(self) -> ValuesView[gcref]:
        """A snapshot of every gcref, taken at once."""
        return self._gc._snapshot().values()

    def copy(self) -> dict[int, gcref]:
        """A snapshot of every entry, taken at once, as a new dict."""
        return self._gc._snapshot()

    def __repr__(self) -> str:
        return f"<zmq.utils.garbage.HeldRefs {self._gc._snapshot()!r}>"


class GarbageCollector:
    """Keeps objects alive while libzmq uses their memory.

    ``refs`` maps an id to a :class:`gcref` for every buffer of a zero-copy
    message that libzmq has not released yet (ids stay the same while the
    buffer is held), and for objects kept with :meth:`store` until
    :meth:`release`: a live, read-only view (:class:`HeldRefs`).
    ``start()``/``stop()``/``is_alive()`` control the reaper
    thread, which drops the buffers libzmq released while no other code of
    zmq-core ran (it starts by itself with the first zero-copy send).
    """

    def __init__(self) -> None:
        self._stored: dict[int, gcref] = {}
        self._lock = threading.Lock()
        # far above the ids of the C bookkeeping, which count from 1
        self._ids = count(1 << 62)
        # (generation, {id: None}) of the buffers libzmq held when last listed
        self._held: tuple[int, dict[int, None]] = (-1, {})
        self._thread: GarbageCollectorThread | None = None
        # {id: gcref} of what is held for libzmq: a live, read-only view. A
        # plain instance attribute, as PyZMQ's dict is, so that reading it
        # costs what reading PyZMQ's does (a property is a Python call);
        # __setattr__ keeps it from being replaced
        self.refs: HeldRefs
        object.__setattr__(self, "refs", HeldRefs(self))

    def __setattr__(self, name: str, value: object) -> None:
        if name == "refs":
            raise AttributeError(
                "gc.refs is a read-only view of what libzmq holds;"
                " use gc.store() and gc.release()"
            )
        object.__setattr__(self, name, value)

    def _held_ids(self) -> dict[int, None]:
        """The ids of the buffers libzmq holds now, listed again only when
        a buffer was taken or released since the last time."""
        generation, ids = self._held
        if generation != _zerocopy._held_generation():
            self._held = held = _zerocopy._held_ids()
            ids = held[1]
        return ids

    def _snapshot(self) -> dict[int, gcref]:
        """{id: gcref} of everything held and stored, taken at once."""
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
        info = _zerocopy._reaper_info()
        if info is None:
            return None
        thread = self._thread
        if thread is None or thread._incarnation != info[0]:
            thread = self._thread = GarbageCollectorThread._standing_for(self, *info)
        return thread


gc = GarbageCollector()

__all__ = ["GarbageCollector", "GarbageCollectorThread", "HeldRefs", "gc", "gcref"]
