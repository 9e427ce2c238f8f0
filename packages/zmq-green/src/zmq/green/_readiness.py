# SPDX-License-Identifier: BSD-3-Clause
"""Waiting for a libzmq socket inside gevent, one waiting room per socket.

libzmq's ZMQ_FD is not "readable when a message is waiting": it becomes
readable when commands reach the socket, and any libzmq call that processes
commands (send, recv, reading ZMQ_EVENTS, bind, connect, zmq_poll) drains it,
whoever makes that call. So a greenlet that sleeps on the FD can miss its
wake-up when another greenlet's call drained the FD after the state changed.
The rules kept here:

- a waiter enqueues itself, then ZMQ_EVENTS is read (``changed()``), then it
  sleeps: a message that arrived before the read is seen by the read, one that
  arrives after it makes the FD readable;
- every green call that may process commands ends with ``changed()`` while
  anybody waits, so a drained FD never hides a state change from them;
- the FD watcher runs only while somebody waits (an idle socket costs no
  wake-ups at all), and ``changed()`` reading ZMQ_EVENTS re-arms the edge, so
  a ready FD is never left to fire again and again;
- a consuming waiter (recv, send) is woken one at a time: the greenlet that
  acts ends with ``changed()``, which wakes the next if there is still
  something to do; a waiter that leaves without acting (killed, timed out)
  passes the wake-up on. Observers (pollers) are all woken, they take nothing.

Everything above happens in the thread of the hub whose loop watches the FD.
A close() from another OS thread (``close_route``) never touches the watcher
or the waiters: while greenlets wait, it hands the close to that hub; when
none does, it marks the room closing (under ``_arm_lock``, as the only step
that starts a wait, arming an idle watcher, is) so that no wait can start,
and closes the libzmq socket itself.
"""

from __future__ import annotations

import sys
import weakref
from collections import OrderedDict
from time import monotonic
from typing import Any

from gevent import get_hub
from gevent.hub import Waiter

import zmq
from zmq.core.int_constants import ENOTSOCK as _ENOTSOCK
from zmq.core.int_constants import EVENTS as _EVENTS
from zmq.core.int_constants import POLLIN as _POLLIN
from zmq.core.int_constants import POLLOUT as _POLLOUT
from zmq.core.int_constants import TYPE as _TYPE
from zmq.core.osthread import OSLock, get_ident

# socket types whose receives answer their sends (request/reply, peers):
# only these busy-poll and look before trying (core._call); the others
# (PUSH/PULL, PUB/SUB, ...) move streams, whose waits end in batches
_ANSWERING = frozenset(getattr(zmq.core.int_constants, name) for name in (
    "REQ", "REP", "DEALER", "ROUTER", "PAIR", "CLIENT", "SERVER", "PEER", "CHANNEL", "STREAM"))

READY = object()
TIMED_OUT = object()
# close_route(): the calling thread closes the libzmq socket and nothing else
CLOSE_SOCKET_ONLY = object()

# zmq-core's own getsockopt: reading EVENTS through it never recurses here
_get_option = zmq.Socket.get
_READ = 1  # libev's EV_READ
_ABSENT = object()
# serialises arming an idle watcher (a wait starting) with a close() from a
# thread other than the hub's deciding who closes; an OS lock, since
# monkey-patching would make threading's a greenlet lock. Held for a few
# attribute reads and writes.
_arm_lock = OSLock()


class Readiness:
    """The greenlets waiting on one libzmq socket, and the FD watcher that
    wakes them. ``waiting`` is how many wait; ``inline`` says that nobody
    waits and no operation has to look before trying (``waited``, see
    core._call): both are read on every green call, plain attributes, no
    call."""

    __slots__ = ("_socket", "_hub", "_watcher", "_readers", "_writers", "_observers", "waiting",
                 "waited", "sent", "answers", "inline", "_closing")

    def __init__(self, socket: zmq.Socket) -> None:
        self._socket = weakref.ref(socket)
        self._hub: Any = None
        self._watcher: Any = None
        # insertion-ordered: the longest waiting consumer is woken first
        self._readers: OrderedDict[Waiter, None] = OrderedDict()
        self._writers: OrderedDict[Waiter, None] = OrderedDict()
        self._observers: dict[Waiter, int] = {}
        self.waiting = 0
        # POLLIN/POLLOUT: the last receive/send had to wait (core._call)
        self.waited = 0
        # a send went through core._call since the last receive that waited
        self.sent = False
        self.answers = _get_option(socket, _TYPE) in _ANSWERING
        self.inline = True
        # a close() from another thread owns the socket: no wait may start
        self._closing = False

    # -- the FD watcher -------------------------------------------------------

    def _arm(self, hub: Any, fd: int) -> None:
        """Have the watcher run while a greenlet of *hub* waits; raises
        ZMQError(ENOTSOCK) if a close() from another thread got there first."""
        watcher = self._watcher
        if hub is self._hub and watcher.active:
            return
        with _arm_lock:
            if self._closing:
                raise zmq.ZMQError(_ENOTSOCK)
            if hub is not self._hub:
                # first wait, or the socket moved to another thread's hub while idle
                if self._watcher is not None:
                    self._watcher.close()
                self._hub = hub
                self._watcher = hub.loop.io(fd, _READ)
            if not self._watcher.active:
                self._watcher.start(self.changed)

    def _disarm_if_idle(self) -> None:
        if self.waiting == 0 and self._watcher is not None:
            self._watcher.stop()

    # -- waking ---------------------------------------------------------------

    def _wake(self, waiter: Waiter) -> None:
        # always through the hub: the caller may be a greenlet (Waiter.switch
        # works from the hub only) or the hub in the middle of this loop
        self._hub.loop.run_callback(waiter.switch, READY)

    def changed(self) -> None:
        """Read ZMQ_EVENTS and wake whoever can now go ahead (one reader, one
        writer, every observer whose flags are met)."""
        if self.waiting == 0:
            self._disarm_if_idle()
            return
        sock = self._socket()
        if sock is None or sock.closed:
            self.wake_all()
            return
        try:
            events = _get_option(sock, _EVENTS)
        except zmq.ZMQError:
            # ETERM and the like: each waiter's retry raises it
            self.wake_all()
            return
        if events & _POLLIN and self._readers:
            self._wake(self._readers.popitem(last=False)[0])
        if events & _POLLOUT and self._writers:
            self._wake(self._writers.popitem(last=False)[0])
        if self._observers:
            for waiter, mask in list(self._observers.items()):
                if events & mask:
                    del self._observers[waiter]
                    self._wake(waiter)

    def wake_all(self) -> None:
        """Wake every waiter (the socket closed or its context ended): their
        retry meets the error."""
        for queue in (self._readers, self._writers, self._observers):
            while queue:
                self._wake(queue.popitem()[0])

    def set_waited(self, waited: int) -> None:
        """Record which kinds of operation (POLLIN, POLLOUT) last had to wait."""
        self.waited = waited
        self.inline = not self.waiting and not waited

    def close_route(self) -> Any:
        """How close() goes on in the calling thread, decided before it
        closes anything. None: this is the thread of the hub that watches
        the socket: ``close()``, the libzmq close, ``wake_all()``, as
        always. From any other thread: the hub to hand the whole close to,
        when greenlets wait through it and its thread lives; else
        CLOSE_SOCKET_ONLY: from now on a wait raises ENOTSOCK instead of
        starting, the caller closes the libzmq socket and nothing else (the
        watcher and the queues are the hub thread's)."""
        hub = self._hub
        if hub is not None and hub.thread_ident == get_ident():
            return None
        with _arm_lock:
            hub = self._hub
            # the watcher may be gone already: the hub's thread closing too
            watcher = self._watcher
            if (hub is not None and (self.waiting or (watcher is not None and watcher.active))
                    and hub.thread_ident in sys._current_frames()):
                return hub
            self._closing = True
            return CLOSE_SOCKET_ONLY

    def close_failed(self) -> None:
        """The libzmq close did not happen after all (CLOSE_SOCKET_ONLY)."""
        self._closing = False

    def close(self) -> None:
        """Before zmq_close: the FD belongs to libzmq and may be reused."""
        if self._watcher is not None:
            try:
                self._watcher.close()
            except Exception:
                # at interpreter exit the hub and its loop may be gone already
                pass
            self._watcher = None
            self.wake_all()
        self._hub = None

    # -- waiting --------------------------------------------------------------

    def wait(self, event: int, deadline: float | None) -> bool:
        """Sleep the calling greenlet until *event* (POLLIN or POLLOUT) may be
        possible, to act on it (consume). False if *deadline* (monotonic
        seconds) passed first."""
        queue = self._readers if event == _POLLIN else self._writers
        return self._sleep(queue, None, deadline)

    def observe(self, waiter: Waiter, mask: int, hub: Any) -> None:
        """Have *waiter* switched to (with READY) once any of *mask* is ready;
        for pollers, which share one waiter among many sockets."""
        sock = self._socket()
        if sock is None:
            return
        # armed first: if that raises (the socket is closed or closing),
        # nothing is left registered
        self._arm(hub, sock.fileno())
        self._observers[waiter] = mask
        self.waiting += 1
        self.inline = False

    def unobserve(self, waiter: Waiter) -> None:
        self._observers.pop(waiter, None)
        self.waiting -= 1
        self.inline = not self.waiting and not self.waited
        self._disarm_if_idle()

    def observe_and_wait(self, mask: int, deadline: float | None) -> bool:
        """Sleep until any of *mask* is ready, without consuming it."""
        return self._sleep(None, mask, deadline)

    def _sleep(self, queue: OrderedDict[Waiter, None] | None, mask: int | None,
               deadline: float | None) -> bool:
        hub = get_hub()
        sock = self._socket()
        if sock is None:
            return True
        waiter = Waiter(hub)
        timer = None
        if queue is not None:
            queue[waiter] = None
        else:
            assert mask is not None
            self._observers[waiter] = mask
        self.waiting += 1
        self.inline = False
        result: object = _ABSENT
        try:
            self._arm(hub, sock.fileno())
            # what happened before this point is in ZMQ_EVENTS; what happens
            # after it makes the FD readable
            self.changed()
            if deadline is not None:
                timer = hub.loop.timer(max(deadline - monotonic(), 0.0))
                timer.start(waiter.switch, TIMED_OUT)
            result = waiter.get()
            return result is READY
        finally:
            if timer is not None:
                timer.close()
            self.waiting -= 1
            self.inline = not self.waiting and not self.waited
            if queue is not None:
                if queue.pop(waiter, _ABSENT) is _ABSENT and result is not READY:
                    # woken, but leaving without acting (killed, timed out):
                    # the next in line gets the turn
                    self.changed()
            else:
                self._observers.pop(waiter, None)
            self._disarm_if_idle()
