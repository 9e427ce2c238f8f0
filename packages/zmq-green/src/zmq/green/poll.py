# SPDX-License-Identifier: BSD-3-Clause
"""Green Poller, select and zmq_poll: wait on green sockets, plain zmq
sockets and file descriptors while the other greenlets run.

The answer always comes from zmq-core's own zmq_poll with a zero timeout;
waiting in between is done by gevent: green sockets through their waiting
rooms (so a wake-up drained by another greenlet's call is not lost), plain
sockets and descriptors through FD watchers. Nothing is polled on a timer:
a poller with nothing to do sleeps until something happens.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from gevent import get_hub
from gevent.hub import Waiter

import zmq
from zmq.core.int_constants import POLLERR as _POLLERR
from zmq.core.int_constants import POLLIN as _POLLIN
from zmq.core.int_constants import POLLOUT as _POLLOUT
from zmq.green._readiness import READY, Readiness
from zmq.green.core import Socket

_READ, _WRITE = 1, 2  # libev's EV_READ, EV_WRITE
_base_poll = zmq.Poller.poll


def _fd_of(obj: Any) -> int:
    if isinstance(obj, int):
        return obj
    try:
        return int(obj.fileno())
    except AttributeError:
        raise TypeError(
            f"Poller takes zmq sockets, int file descriptors or objects with fileno(),"
            f" not {obj!r}"
        ) from None


def _timeout_ms(timeout: Any) -> float:
    """-1 for forever, else milliseconds (as zmq.Poller.poll takes them)."""
    if timeout is None:
        return -1
    if not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of milliseconds or None, not {timeout!r}")
    return -1 if timeout < 0 else timeout


class Poller(zmq.Poller):
    """A :class:`zmq.Poller` whose ``poll()`` suspends only the calling
    greenlet."""

    __module__ = "zmq.green"

    def poll(self, timeout: int | float | None = None) -> list[tuple[Any, int]]:
        """Wait up to *timeout* ms (None or negative: forever) for any
        registered socket or descriptor; return ``[(obj, events), ...]`` for
        the ready ones ([] on timeout)."""
        timeout = _timeout_ms(timeout)
        deadline = None if timeout < 0 else monotonic() + timeout / 1000.0
        while True:
            ready = self._poll_now()
            if ready or timeout == 0:
                return ready
            if not self._sleep(deadline):
                return self._poll_now()

    def _poll_now(self) -> list[tuple[Any, int]]:
        """zmq-core's zmq_poll, without waiting. It reads ZMQ_EVENTS,
        draining the FDs: greenlets waiting on those sockets must hear what
        it found, even when it raised (ETERM: the end of the context
        reaches each socket as one command, signalled once)."""
        try:
            ready: list[tuple[Any, int]] = _base_poll(self, 0)
        finally:
            self._tell_green_sockets()
        return ready

    def _tell_green_sockets(self) -> None:
        for obj, _flags in self.sockets:
            if isinstance(obj, Socket):
                readiness = obj._readiness
                if readiness.waiting:
                    readiness.changed()

    def _sleep(self, deadline: float | None) -> bool:
        hub = get_hub()
        waiter = Waiter(hub)
        rooms: list[Readiness] = []
        watchers: list[Any] = []
        timer = None
        try:
            for obj, flags in self.sockets:
                if isinstance(obj, Socket):
                    obj._readiness.observe(waiter, flags, hub)
                    rooms.append(obj._readiness)
                    continue
                if isinstance(obj, zmq.Socket):
                    # a plain socket: its FD fires on any change of state
                    mask = _READ
                else:
                    mask = (_READ if flags & (_POLLIN | _POLLERR) else 0) | (
                        _WRITE if flags & _POLLOUT else 0
                    )
                    if not mask:
                        continue
                watcher = hub.loop.io(_fd_of(obj), mask)
                watchers.append(watcher)
                watcher.start(waiter.switch, READY)
            # anything that became ready since zmq_poll looked
            for room in rooms:
                room.changed()
            if deadline is not None:
                timer = hub.loop.timer(max(deadline - monotonic(), 0.0))
                timer.start(waiter.switch, None)
            return waiter.get() is READY
        finally:
            if timer is not None:
                timer.close()
            for watcher in watchers:
                watcher.close()
            for room in rooms:
                room.unobserve(waiter)


def zmq_poll(sockets: Any, timeout: int | float | None = -1) -> list[tuple[Any, int]]:
    """Green :func:`zmq.zmq_poll`: ``[(socket_or_fd, events), ...]`` for up
    to *timeout* ms (-1 or None: forever)."""
    poller = Poller()
    for obj, flags in sockets:
        poller.register(obj, flags)
    return poller.poll(timeout)


def select(rlist: Any, wlist: Any, xlist: Any, timeout: float | None = None) -> tuple[
    list[Any], list[Any], list[Any]
]:
    """Green :func:`zmq.select`: *timeout* in seconds (None: forever)."""
    poller = Poller()
    for objs, flag in ((rlist, _POLLIN), (wlist, _POLLOUT), (xlist, _POLLERR)):
        for obj in objs:
            poller.register(obj, (dict(poller.sockets).get(obj, 0)) | flag)
    ready: dict[Any, int] = dict(poller.poll(None if timeout is None else timeout * 1000))

    def events(obj: Any) -> int:
        # the poller reports sockets as themselves, anything else by its fd
        return ready.get(obj if isinstance(obj, zmq.Socket) else _fd_of(obj), 0)

    return (
        [s for s in rlist if events(s) & _POLLIN],
        [s for s in wlist if events(s) & _POLLOUT],
        [s for s in xlist if events(s) & _POLLERR],
    )


# PyZMQ's name in this module
_Poller = Poller

__all__ = ["Poller", "select", "zmq_poll"]
