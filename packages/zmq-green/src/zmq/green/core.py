# SPDX-License-Identifier: BSD-3-Clause
"""Green Socket and Context: blocking calls wait in the calling greenlet only.

Every send/recv first tries without blocking (zmq-core's C path, NOBLOCK
added); only when libzmq says EAGAIN does the greenlet sleep on the socket's
waiting room (``_readiness.Readiness``) and try again when woken. A receive
that waits for the answer to a send busy-polls first (``_busypoll``).
RCVTIMEO and SNDTIMEO bound that sleep (``zmq.Again`` after them) as they
bound a plain socket's wait. Whole messages are sent and received by single
zmq-core calls, so a greenlet killed while it waits never takes or leaves
half a message.
"""

from __future__ import annotations

import warnings
from time import monotonic
from typing import Any

from gevent import get_hub, idle
from gevent._hub_local import get_hub_if_exists  # gevent has no public name for it
from gevent.hub import getcurrent

import zmq
from zmq.core.int_constants import EVENTS as _EVENTS
from zmq.core.int_constants import NOBLOCK as _NOBLOCK
from zmq.core.int_constants import POLLIN as _POLLIN
from zmq.core.int_constants import POLLOUT as _POLLOUT
from zmq.core.int_constants import RCVTIMEO as _RCVTIMEO
from zmq.core.int_constants import SNDTIMEO as _SNDTIMEO
from zmq.core.osthread import OSEvent
from zmq.green._busypoll import busy_poll_for
from zmq.green._readiness import CLOSE_SOCKET_ONLY, Readiness

_Again = zmq.Again
_ZMQError = zmq.ZMQError

# how long close() from another OS thread waits for the hub to close the
# socket (seconds) before it closes the libzmq socket itself: a hub that
# does not turn for that long is blocked outside gevent
CLOSE_HANDOVER_S = 1.0

# zmq-core's methods, called on green sockets with NOBLOCK
_base = zmq.Socket
_send = _base.send
_send_multipart = _base.send_multipart
_recv = _base.recv
_recv_multipart = _base.recv_multipart
_recv_into = _base.recv_into
_get = _base.get
_set = _base.set
_bind = _base.bind
_connect = _base.connect
_unbind = _base.unbind
_disconnect = _base.disconnect


def _pop(items: list[Any]) -> bool:
    """Take the one item of *items*; False if another thread took it
    (list.pop is one atomic step)."""
    try:
        items.pop()
    except IndexError:
        return False
    return True


def _warn_timeo(option: int) -> None:
    # a plain UserWarning, as PyZMQ's: code written for its zmq.green, which
    # ignored these options, may rely on waiting forever
    name = "RCVTIMEO" if option == _RCVTIMEO else "SNDTIMEO"
    warnings.warn(
        f"zmq.green honours {name}: a blocked call raises zmq.Again when it expires"
        " (PyZMQ's zmq.green ignored it)",
        UserWarning,
        stacklevel=3,
    )


def _spin(sock: Socket, readiness: Readiness, want: int) -> bool:
    """Busy-poll before sleeping (see _busypoll): let the hub turn once
    (every other greenlet runs, the loop polls its FDs without sleeping)
    and read ZMQ_EVENTS again, until *want* may be possible (True) or the
    spin ends (False)."""
    busy = busy_poll_for(get_hub())
    if not busy.waiting():
        return False
    ticket = busy.successes
    while True:
        # gevent.idle, not sleep(0): callbacks that schedule callbacks run
        # in one pass of the loop, without polling the FDs between them
        idle()
        try:
            events = _get(sock, _EVENTS)
        except zmq.ZMQError:
            return True  # closed, or its context ended: the retry raises it
        if readiness.waiting:
            # that read drained the FD the sleeping waiters rely on
            readiness.changed()
        if events & want:
            busy.succeeded()
            return True
        if busy.over(ticket):
            return False


def _call(sock: Socket, tried: bool, wait_for: int, timeout_option: int, op: Any, *args: Any,
          **kwargs: Any) -> Any:
    """``op(sock, *args, **kwargs)``, a zmq-core call that never blocks;
    every call ends by telling the socket's waiters what it may have changed
    (it processed libzmq's commands, so drained the FD). On EAGAIN with
    *wait_for* (POLLIN or POLLOUT), the calling greenlet sleeps until that
    may be possible and tries again, at most *timeout_option*
    (RCVTIMEO/SNDTIMEO) long; without, EAGAIN is raised at once. *tried*:
    the caller's own attempt just met EAGAIN (a failed call costs
    microseconds), so sleep first.

    On sockets whose receives answer their sends (REQ, REP, DEALER, ROUTER,
    PAIR, ...: Readiness.answers), after an operation of a kind had to wait,
    the next one likely will too: it reads ZMQ_EVENTS first, which arms the
    FD as a failed attempt does, without the cost of raising zmq.Again; and
    a receive that has to wait right after a send waits for an answer: it
    busy-polls first (_spin). A stream's consumer or producer (PULL, PUSH,
    SUB, ...) keeps the plain path: it sleeps at once, and finds a batch
    when it wakes."""
    readiness = sock._readiness
    deadline: float | None = None
    first_wait = True
    if timeout_option == _SNDTIMEO:
        # once a receive had to wait, sends come here (the inline path
        # skips the bookkeeping): a receive that follows waits for an answer
        readiness.sent = True
    if not tried and readiness.waited & wait_for and not readiness.waiting:
        tried = not _get(sock, _EVENTS) & wait_for
    while True:
        if not tried:
            try:
                result = op(sock, *args, **kwargs)
            except _Again:
                if not wait_for:
                    raise
            else:
                if first_wait and readiness.waited & wait_for:
                    # completed without waiting
                    readiness.set_waited(readiness.waited & ~wait_for)
                return result
            finally:
                if readiness.waiting:
                    readiness.changed()
        tried = False
        if first_wait:
            first_wait = False
            timeout_ms = _get(sock, timeout_option)
            deadline = None if timeout_ms < 0 else monotonic() + timeout_ms / 1000.0
            if readiness.answers:
                if not readiness.waited & wait_for:
                    readiness.set_waited(readiness.waited | wait_for)
                if wait_for == _POLLIN and readiness.sent:
                    readiness.sent = False
                    if _spin(sock, readiness, wait_for):
                        continue
        if not readiness.wait(wait_for, deadline):
            raise _Again()


class Socket(zmq.Socket):
    """A :class:`zmq.Socket` whose blocking calls (send, recv, their
    multipart/string/serialised forms, recv_into, poll) suspend only the
    calling greenlet. Any number of greenlets may wait on one socket; each
    message goes to exactly one of them."""

    __module__ = "zmq.green"
    _repr_cls = "zmq.green.Socket"
    # a slot, not an entry of the instance __dict__: CPython 3.12+ reads
    # methods (sock.recv) through its cache only for objects of zmq-core's
    # classes whose __dict__ was never made
    __slots__ = ("_readiness",)
    _readiness: Readiness

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._readiness = Readiness(self)

    def close(self, linger: int | None = None) -> None:
        """Close the socket; the greenlets waiting on it raise
        ``ZMQError(ENOTSOCK)``. From an OS thread other than that of the
        hub they wait through, the hub closes it and this thread waits
        until it has (at most ``CLOSE_HANDOVER_S``; then this thread closes
        the libzmq socket, and the hub wakes the waiters when it runs)."""
        readiness = getattr(self, "_readiness", None)
        if readiness is None or self.closed:
            super().close(linger)
            return
        if linger is not None and not isinstance(linger, int):
            # before any route is taken (zmq-core checks it too, later)
            raise TypeError(f"linger must be an int (ms), not {type(linger).__name__}")
        route = readiness.close_route()
        if route is None:
            # stop watching the FD before libzmq frees it
            readiness.close()
            super().close(linger)
            readiness.wake_all()
        elif route is CLOSE_SOCKET_ONLY:
            try:
                super().close(linger)
            finally:
                if not self.closed:
                    readiness.close_failed()
        else:
            self._close_in_hub(route, linger)

    def _close_in_hub(self, hub: Any, linger: int | None) -> None:
        """close() from another thread while greenlets wait through *hub*:
        the watcher, the waiters' queues and the wake-ups are the hub
        thread's, so the hub does the whole close, as its own close() would;
        this thread waits for it, at most CLOSE_HANDOVER_S. A hub that does
        not turn by then (its thread blocked outside gevent, perhaps waiting
        for this one) still runs the close when it does; the libzmq socket
        is closed from here meanwhile. Either way exactly one of the two
        closes the libzmq socket (``unclosed`` is popped once)."""
        readiness = self._readiness
        done = OSEvent()
        unclosed = [self]

        def close_here() -> None:
            try:
                readiness.close()
                if _pop(unclosed):
                    super(Socket, self).close(linger)
                readiness.wake_all()
            finally:
                done.set()

        try:
            hub.loop.run_callback_threadsafe(close_here)
        except Exception:
            # the hub or its loop was destroyed (hub.loop is None): nothing
            # will ever run there again
            pass
        else:
            if done.wait(CLOSE_HANDOVER_S):
                return
        if _pop(unclosed):
            super().close(linger)

    # Each call below first tries zmq-core's method inline when no greenlet
    # waits on the socket (nobody to tell what the call changed) and the
    # last operations did not have to wait: the common case costs no more
    # than the call itself (going through _call cost the gevent PUSH/PULL
    # bench a third of its rate). Everything else (waiters to wake, waiting
    # for EAGAIN to pass, looking before trying) goes through _call.

    # -- sending ----------------------------------------------------------

    def send(self, data: Any, flags: int = 0, copy: bool = True, track: bool = False,
             routing_id: int | None = None, group: str | None = None) -> Any:
        tried = self._readiness.inline
        if tried:
            try:
                return _send(self, data, flags | _NOBLOCK, copy, track, routing_id, group)
            except _Again:
                if flags & _NOBLOCK:
                    raise
        return _call(self, tried, 0 if flags & _NOBLOCK else _POLLOUT, _SNDTIMEO, _send, data,
                     flags | _NOBLOCK, copy, track, routing_id, group)

    def send_multipart(self, msg_parts: Any, flags: int = 0, copy: bool = True,
                       track: bool = False, **kwargs: Any) -> Any:
        # libzmq takes the remaining parts once it took the first one, so
        # this never stops half-way through a message
        tried = self._readiness.inline
        if tried:
            try:
                return _send_multipart(self, msg_parts, flags | _NOBLOCK, copy, track, **kwargs)
            except _Again:
                if flags & _NOBLOCK:
                    raise
        return _call(self, tried, 0 if flags & _NOBLOCK else _POLLOUT, _SNDTIMEO, _send_multipart,
                     msg_parts, flags | _NOBLOCK, copy, track, **kwargs)

    # -- receiving --------------------------------------------------------

    def recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any:
        tried = self._readiness.inline
        if tried:
            try:
                return _recv(self, flags | _NOBLOCK, copy, track)
            except _Again:
                if flags & _NOBLOCK:
                    raise
        return _call(self, tried, 0 if flags & _NOBLOCK else _POLLIN, _RCVTIMEO, _recv,
                     flags | _NOBLOCK, copy, track)

    def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any:
        # all parts of a message arrive together: once the first is here, the
        # others are, and zmq-core takes them in the same call
        tried = self._readiness.inline
        if tried:
            try:
                return _recv_multipart(self, flags | _NOBLOCK, copy, track)
            except _Again:
                if flags & _NOBLOCK:
                    raise
        return _call(self, tried, 0 if flags & _NOBLOCK else _POLLIN, _RCVTIMEO, _recv_multipart,
                     flags | _NOBLOCK, copy, track)

    def recv_into(self, buffer: Any, /, *, nbytes: int = 0, flags: int = 0) -> int:
        tried = self._readiness.inline
        if tried:
            try:
                return _recv_into(self, buffer, nbytes=nbytes, flags=flags | _NOBLOCK)
            except _Again:
                if flags & _NOBLOCK:
                    raise
        size: int = _call(self, tried, 0 if flags & _NOBLOCK else _POLLIN, _RCVTIMEO, _recv_into,
                          buffer, nbytes=nbytes, flags=flags | _NOBLOCK)
        return size

    # -- polling ----------------------------------------------------------

    def poll(self, timeout: int | None = None, flags: int = _POLLIN) -> int:
        """Wait up to *timeout* ms (None: forever) for *flags*; return the
        ready events (0 on timeout). Only this greenlet waits."""
        if self.closed:
            # zmq-core's poll says the same, and so does a poll that was
            # waiting when the socket closed
            raise _ZMQError(zmq.ENOTSOCK)
        if timeout is None or timeout < 0:
            deadline = None
        else:
            deadline = monotonic() + timeout / 1000.0
        readiness = self._readiness
        while True:
            ready = self._events(readiness) & flags
            if ready or timeout == 0:
                return ready
            if not readiness.observe_and_wait(flags, deadline):
                return self._events(readiness) & flags

    def _events(self, readiness: Readiness) -> int:
        """ZMQ_EVENTS, then the waiters hear what that read processed, even
        when it raised: the end of the context (ETERM) reaches the socket
        as one command, and the FD signals it once."""
        try:
            events: int = _get(self, _EVENTS)
        finally:
            if readiness.waiting:
                readiness.changed()
        return events

    # -- calls that process libzmq's commands (and so drain the FD) ----------

    def bind(self, addr: Any) -> Any:
        return _call(self, False, 0, 0, _bind, addr)

    def connect(self, addr: Any) -> Any:
        return _call(self, False, 0, 0, _connect, addr)

    def unbind(self, addr: Any) -> None:
        _call(self, False, 0, 0, _unbind, addr)

    def disconnect(self, addr: Any) -> None:
        _call(self, False, 0, 0, _disconnect, addr)

    # -- options ----------------------------------------------------------

    def get(self, option: int) -> Any:
        if option == _RCVTIMEO or option == _SNDTIMEO:
            _warn_timeo(option)
        if option == _EVENTS:
            return self._events(self._readiness)
        return _get(self, option)

    def set(self, option: int, optval: Any) -> None:
        if option == _RCVTIMEO or option == _SNDTIMEO:
            _warn_timeo(option)
        _set(self, option, optval)

    getsockopt = get
    setsockopt = set


class Context(zmq.Context):
    """A :class:`zmq.Context` that makes green sockets. ``term()`` waits in
    the calling greenlet only, so greenlets still using sockets of this
    context run on, see ``zmq.ContextTerminated`` and close them."""

    __module__ = "zmq.green"
    _repr_cls = "zmq.green.Context"
    _socket_class = Socket

    def term(self) -> None:
        hub = get_hub_if_exists()
        if self.closed or hub is None or getcurrent() is hub:
            # the hub itself, or a thread that runs no hub (no greenlet here
            # to let run): wait right here
            super().term()
            return
        # zmq_ctx_term waits for every socket to close: in a thread of the
        # hub's pool, so that the greenlets holding them can run and do so
        hub.threadpool.apply(super().term)


# PyZMQ's names in this module
_Socket = Socket
_Context = Context

__all__ = ["Socket", "Context"]
