# SPDX-License-Identifier: BSD-3-Clause
"""ZeroMQ sockets for anyio (>= 4.10), on its asyncio and trio backends
(shipped by zmq-eventloop, ``pip install zmq-eventloop[anyio]``).

    async with zmq.anyio.Context().socket(zmq.PULL) as sock:
        sock.connect(url)
        msg = await sock.recv()

Every send and receive variant, ``poll`` and :meth:`Poller.poll` are plain
``async def`` methods; the rest (options, bind, connect, close) is
zmq.Socket's own, synchronous.

How a wake-up is never lost: a task that must wait waits on the socket's FD
through ``anyio.wait_readable``. libzmq's FD is edge-triggered: it becomes
readable when the socket's state *may* have changed and is re-armed only by
a libzmq call that processes the socket's pending commands (a send or
receive, including one that fails with EAGAIN, or reading ZMQ_EVENTS). So a
task waits only right after such a call of its own, and every call made
while other tasks wait is followed by a look at ZMQ_EVENTS that wakes them
when what they wait for is there. The tasks waiting on one socket share it:
one of them waits on the FD, the others on an anyio Event that the first
sets when something they may want happened (a trio or asyncio FD admits
one reader at a time).

How cancellation never loses or duplicates a message: a task is
cancellable only while it waits, before the libzmq call. The non-blocking
libzmq call that takes (or sends) the message, the decoding of a decoded
receive and the return to the caller happen in one step, with no checkpoint
in between. A cancelled operation therefore took nothing, and one that took
a message returns it even if its cancel scope expired meanwhile. A
multipart send is one libzmq call: it is never half sent.

No thread per socket and no busy waiting: a waiting task costs one FD
registration (shared by the tasks waiting on that socket), after at most a
short, adaptive busy-poll (zmq.eventloop.busypoll's budget, as zmq.asyncio).
"""

import math
import time
import weakref
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast, overload

import anyio
from anyio.abc import ObjectReceiveStream, ObjectSendStream
from anyio.lowlevel import checkpoint, checkpoint_if_cancelled

import zmq
from zmq.core.int_constants import DONTWAIT as _DONTWAIT
from zmq.core.int_constants import ENOTSOCK as _ENOTSOCK
from zmq.core.int_constants import ETERM as _ETERM
from zmq.core.int_constants import EVENTS as _EVENTS
from zmq.core.int_constants import FD as _FD
from zmq.core.int_constants import POLLIN as _POLLIN
from zmq.core.int_constants import POLLOUT as _POLLOUT
from zmq.core.int_constants import RCVTIMEO as _RCVTIMEO
from zmq.core.int_constants import SNDTIMEO as _SNDTIMEO
from zmq.eventloop.busypoll import get_busy_poll

if TYPE_CHECKING:
    from typing_extensions import Buffer, Self

__all__ = ["Context", "Socket", "Poller", "MessageReceiveStream", "MessageSendStream"]

# plain ints (above) and unbound methods: the hot paths avoid IntFlag
# arithmetic and attribute look-ups on every call
_Again = zmq.Again
_ZMQError = zmq.ZMQError
_get = zmq.Socket.get
_recv = zmq.Socket.recv
_recv_multipart = zmq.Socket.recv_multipart
_recv_into = zmq.Socket.recv_into
_send = zmq.Socket.send
_send_multipart = zmq.Socket.send_multipart
_zmq_poll = zmq.Poller.poll
# zmq.Socket's serialisation methods, which call the codec provider with
# this socket (typed loosely: here they return coroutines, not values)
_codecs: Any = zmq.Socket

# An operation that can complete at once does so without a checkpoint (a
# cancellation check costs more than the libzmq call), except once every
# this many operations on a socket, where it first yields to the scheduler
# (a full, cancellable checkpoint): a task that always finds messages
# waiting cannot starve the others, and sees its cancellation there.
_SCHEDULE_EVERY = 32

# Busy-polling (zmq.eventloop.busypoll's budget, ZMQ_BUSY_POLL_US): an
# operation that would wait first keeps yielding to the scheduler and trying
# again for that long, as zmq.asyncio's loop keeps turning. Adaptive per
# socket in the same way: a spin during which nothing arrived makes the next
# 1, 3, 7, ... (at most 64) waits sleep at once.
_MAX_SKIP = 64
_MAX_MISSES = 7
_now = time.perf_counter
_MISSED = object()

_T = TypeVar("_T")


def _recv_string_op(socket: "Socket", flags: int, encoding: str) -> str:
    return _recv(socket, flags).decode(encoding)


def _recv_into_op(socket: "Socket", flags: int, buffer: Any, nbytes: int) -> int:
    return _recv_into(socket, buffer, nbytes=nbytes, flags=flags)


def _closed_error(what: str) -> zmq.ZMQError:
    return _ZMQError(_ENOTSOCK, f"the socket was closed while {what} waited")


class _Waiters:
    """What the tasks waiting on one libzmq socket share (every Socket
    object wrapping that libzmq socket shares one).

    Tasks wait in *rounds*: a round ends when something a waiting task
    wants may be there, or the socket was closed, after which every task of
    the round tries again. ``round`` numbers the rounds (``active`` says
    one is in progress); ``blocked``, ``want_in`` and ``want_out`` count the
    tasks of the current round and what they wait for. One of them
    (``watching``) waits on the FD; the others on ``event``, an anyio Event
    made only when a second task waits (most rounds have one task)."""

    __slots__ = ("fd", "round", "active", "event", "blocked", "want_in", "want_out",
                 "watching", "in_wait", "waited", "ticks", "misses", "skip", "__weakref__")

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.round = 0
        self.active = False
        self.event: anyio.Event | None = None
        self.blocked = 0
        self.want_in = 0
        self.want_out = 0
        self.watching = False
        # the watching task is in anyio.wait_readable right now
        self.in_wait = False
        # POLLIN/POLLOUT: the last receive/send had to wait
        self.waited = 0
        self.ticks = _SCHEDULE_EVERY
        # busy-polling: spins in a row that found nothing, waits left to skip
        self.misses = 0
        self.skip = 0

    def wake_all(self) -> None:
        """End the current round: every waiting task tries again."""
        if not self.active:
            return
        self.active = False
        self.round += 1
        self.blocked = self.want_in = self.want_out = 0
        if self.in_wait:
            # end the watching task's wait_readable: anyio's notify_closing
            # wakes it (with ClosedResourceError) and leaves the FD as it
            # is; cheaper than a cancel scope around every wait
            self.in_wait = False
            try:
                anyio.notify_closing(self.fd)
            except RuntimeError:
                pass  # not in the loop's thread: nothing to wake from here
        event = self.event
        if event is not None:
            self.event = None
            event.set()


# libzmq socket address -> its _Waiters, so that two Socket objects wrapping
# one libzmq socket (from_socket, shadows) never both wait on its FD
_shared: "weakref.WeakValueDictionary[int, _Waiters]" = weakref.WeakValueDictionary()


class Socket(zmq.Socket):
    """A zmq socket whose sends, receives and polls are ``async def``
    methods for anyio (asyncio or trio backend). Make it with
    :meth:`Context.socket`, or wrap a synchronous socket with
    ``Socket(sync_socket)`` / :meth:`Socket.from_socket` (both share the
    libzmq socket).

    ``async with sock:`` closes it on exit; ``async for msg in sock:``
    receives multipart messages until the socket is closed;
    :meth:`receive_stream` and :meth:`send_stream` wrap it as anyio object
    streams. RCVTIMEO/SNDTIMEO make an operation that waited that long raise
    :class:`zmq.Again`. Closing the socket wakes every task waiting on it
    with ``ZMQError(ENOTSOCK)``. Use a socket from the thread of the event
    loop it is used in (from another thread: ``anyio.from_thread.run``).
    """

    # an attribute of this class (not a zmq option), for zmq.Socket's __setattr__
    _waiters: _Waiters

    def __init__(self, context: "zmq.Context[Any] | zmq.Socket | None" = None,
                 socket_type: int = -1, **kwargs: Any) -> None:
        super().__init__(context, socket_type, **kwargs)
        address, fd = self.underlying, _get(self, _FD)
        waiters = _shared.get(address)
        if waiters is None or waiters.fd != fd:
            waiters = _shared[address] = _Waiters(fd)
        self._waiters = waiters

    @classmethod
    def from_socket(cls, socket: zmq.Socket) -> "Self":
        """Wrap an existing socket; both share the libzmq socket."""
        return cls(shadow=socket)

    # -- waiting -----------------------------------------------------------------

    def _look(self, waiters: _Waiters) -> int:
        """ZMQ_EVENTS now, after a libzmq call made while tasks wait: wake
        them if what they wait for is there (the call may have consumed the
        FD's signal they rely on)."""
        events: int = _get(self, _EVENTS)
        if (events & _POLLIN and waiters.want_in) or (events & _POLLOUT and waiters.want_out):
            waiters.wake_all()
        return events

    async def _block(self, waiters: _Waiters, flags: int, what: str) -> None:
        """Wait until the socket may have changed in a way that allows
        *flags*; the caller then tries again. Called right after a libzmq
        call of the caller's own (which left the FD armed)."""
        if self.closed:
            raise _closed_error(what)
        if not waiters.active:
            waiters.active = True
        round_ = waiters.round
        waiters.blocked += 1
        if flags & _POLLIN:
            waiters.want_in += 1
        if flags & _POLLOUT:
            waiters.want_out += 1
        try:
            if waiters.watching:
                event = waiters.event
                if event is None:
                    event = waiters.event = anyio.Event()
                await event.wait()
            else:
                # this task waits on the FD for the round's tasks until one
                # of them may go on (inline: one coroutine less per wait)
                waiters.watching = True
                fd = waiters.fd
                try:
                    while waiters.round == round_:
                        waiters.in_wait = True
                        try:
                            await anyio.wait_readable(fd)
                        except anyio.ClosedResourceError:
                            continue  # woken by wake_all(): the round is over
                        finally:
                            waiters.in_wait = False
                        # the FD fired: read what changed (which re-arms it)
                        events = _get(self, _EVENTS)
                        if (events & _POLLIN and waiters.want_in) or \
                                (events & _POLLOUT and waiters.want_out):
                            waiters.wake_all()
                except _ZMQError:
                    waiters.wake_all()  # closed elsewhere: every task sees it
                finally:
                    waiters.watching = False
                    if waiters.round == round_:
                        # cancelled from outside while others still wait:
                        # they try again, and one of them watches
                        waiters.wake_all()
        finally:
            if waiters.round == round_:
                # leaving a round that goes on (cancelled): no longer counted
                waiters.blocked -= 1
                if flags & _POLLIN:
                    waiters.want_in -= 1
                if flags & _POLLOUT:
                    waiters.want_out -= 1
        if self.closed:
            raise _closed_error(what)

    # -- operations --------------------------------------------------------------

    async def _io(self, flags: int, op: Callable[..., _T], args: tuple[Any, ...], want: int,
                  timeout_option: int, what: str) -> _T:
        """op(self, *args) with DONTWAIT in args: at once if it can, else
        after waiting for the socket (see the module docstring)."""
        waiters = self._waiters
        waiters.ticks -= 1
        if not waiters.ticks:
            waiters.ticks = _SCHEDULE_EVERY
            await checkpoint()
        if flags & _DONTWAIT:
            # the caller asked not to wait: zmq.Again as from a plain socket
            try:
                return op(self, *args)
            finally:
                if waiters.blocked:
                    self._look(waiters)
        if waiters.waited & want:
            # the last such operation had to wait, so this one likely will:
            # look first, which arms the FD as a failed attempt would, and
            # costs no Again exception when nothing is there
            events = self._look(waiters) if waiters.blocked else _get(self, _EVENTS)
            ready = events & want
        else:
            ready = want
        if ready:
            try:
                result = op(self, *args)
            except _Again:
                pass
            else:
                waiters.waited &= ~want
                if waiters.blocked:
                    self._look(waiters)
                return result
        waiters.waited |= want
        timeout = _get(self, timeout_option)
        if timeout < 0:
            return await self._wait_then(waiters, op, args, want, what)
        with anyio.move_on_after(timeout / 1000):
            return await self._wait_then(waiters, op, args, want, what)
        raise _Again()

    async def _spin(self, waiters: _Waiters, op: Callable[..., Any],
                    args: tuple[Any, ...], budget: float) -> Any:
        """Busy-poll: yield and try op again for *budget* µs; _MISSED if it
        never completed."""
        deadline = _now() + budget / 1e6
        while True:
            await checkpoint()
            try:
                result = op(self, *args)
            except _Again:
                if waiters.blocked:
                    self._look(waiters)
                if _now() < deadline:
                    continue
                waiters.misses = misses = min(waiters.misses + 1, _MAX_MISSES)
                waiters.skip = min((1 << misses) - 1, _MAX_SKIP)
                return _MISSED
            waiters.misses = 0
            if waiters.blocked:
                self._look(waiters)
            return result

    async def _wait_then(self, waiters: _Waiters, op: Callable[..., _T], args: tuple[Any, ...],
                         want: int, what: str) -> _T:
        # the busy-poll's early outs here, not in _spin: a coroutine less
        # per wait when there is no spinning to do
        if waiters.skip:
            waiters.skip -= 1
        else:
            budget = get_busy_poll()
            if budget > 0:
                result = await self._spin(waiters, op, args, budget)
                if result is not _MISSED:
                    return cast(_T, result)
        while True:
            if not (waiters.blocked and self._look(waiters) & want):
                await self._block(waiters, want, what)
            try:
                result = op(self, *args)
            except _Again:
                continue
            if waiters.blocked:
                self._look(waiters)
            return result

    @overload  # type: ignore[override]
    async def recv(self, flags: int = 0, copy: Literal[True] = True,
                   track: bool = False) -> bytes: ...
    @overload
    async def recv(self, flags: int = 0, *, copy: Literal[False],
                   track: bool = False) -> zmq.Frame: ...
    @overload
    async def recv(self, flags: int, copy: Literal[False], track: bool = False) -> zmq.Frame: ...
    async def recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any:
        """Receive one part: bytes (a Frame with ``copy=False``)."""
        return await self._io(flags, _recv, (flags | _DONTWAIT, copy, track), _POLLIN,
                              _RCVTIMEO, "recv()")

    @overload  # type: ignore[override]
    async def recv_multipart(self, flags: int = 0, copy: Literal[True] = True,
                             track: bool = False) -> list[bytes]: ...
    @overload
    async def recv_multipart(self, flags: int = 0, *, copy: Literal[False],
                             track: bool = False) -> list[zmq.Frame]: ...
    @overload
    async def recv_multipart(self, flags: int, copy: Literal[False],
                             track: bool = False) -> list[zmq.Frame]: ...
    async def recv_multipart(self, flags: int = 0, copy: bool = True,
                             track: bool = False) -> Any:
        """Receive a whole multipart message, as a list."""
        return await self._io(flags, _recv_multipart, (flags | _DONTWAIT, copy, track),
                              _POLLIN, _RCVTIMEO, "recv_multipart()")

    async def recv_into(self, buffer: Any, /, *, nbytes: int = 0,  # type: ignore[override]
                        flags: int = 0) -> int:
        """Receive one part into *buffer*; returns the part's size (larger
        than the buffer if it was truncated)."""
        return await self._io(flags, _recv_into_op, (flags | _DONTWAIT, buffer, nbytes),
                              _POLLIN, _RCVTIMEO, "recv_into()")

    async def recv_string(self, flags: int = 0,  # type: ignore[override]
                          encoding: str = "utf-8") -> str:
        """Receive one part decoded from *encoding*."""
        return await self._io(flags, _recv_string_op, (flags | _DONTWAIT, encoding), _POLLIN,
                              _RCVTIMEO, "recv_string()")

    recv_unicode = recv_string  # type: ignore[assignment]

    async def send(self, data: "Buffer | zmq.Frame", flags: int = 0,  # type: ignore[override]
                   copy: bool = True, track: bool = False,
                   **kwargs: Any) -> zmq.MessageTracker | None:
        """Send one part (a MessageTracker with ``track=True``)."""
        if kwargs:
            return await self._io(flags, _send_with, (data, flags | _DONTWAIT, copy, track,
                                                      kwargs), _POLLOUT, _SNDTIMEO, "send()")
        return await self._io(flags, _send, (data, flags | _DONTWAIT, copy, track), _POLLOUT,
                              _SNDTIMEO, "send()")

    async def send_multipart(  # type: ignore[override]
            self, msg_parts: "Sequence[Buffer | zmq.Frame]", flags: int = 0, copy: bool = True,
            track: bool = False, **kwargs: Any) -> zmq.MessageTracker | None:
        """Send a multipart message: all of its parts, or (cancelled, timed
        out) none."""
        if not isinstance(msg_parts, (list, tuple)):
            msg_parts = list(msg_parts)
        if kwargs:
            return await self._io(flags, _send_multipart_with,
                                  (msg_parts, flags | _DONTWAIT, copy, track, kwargs), _POLLOUT,
                                  _SNDTIMEO, "send_multipart()")
        return await self._io(flags, _send_multipart, (msg_parts, flags | _DONTWAIT, copy, track),
                              _POLLOUT, _SNDTIMEO, "send_multipart()")

    async def send_string(  # type: ignore[override]
            self, u: str, flags: int = 0, copy: bool = True, encoding: str = "utf-8",
            **kwargs: Any) -> zmq.MessageTracker | None:
        """Send *u* encoded with *encoding*."""
        if not isinstance(u, str):
            raise TypeError(f"send_string() takes str, not {type(u).__name__}")
        return await self.send(u.encode(encoding), flags, copy, **kwargs)

    send_unicode = send_string  # type: ignore[assignment]

    # zmq-serial's codecs (zmq.core.codecs' provider protocol): they call
    # this socket's send/recv, which return coroutines, and hand a receive's
    # coroutine to _deserialize; awaiting the result runs the receive and
    # the decoding in one step

    async def send_json(self, obj: Any, flags: int = 0,  # type: ignore[override]
                        **kwargs: Any) -> None:
        """Send *obj* as JSON (zmq-serial)."""
        return cast(None, await _codecs.send_json(self, obj, flags, **kwargs))

    async def recv_json(self, flags: int = 0, **kwargs: Any) -> Any:
        """Receive one JSON message (zmq-serial)."""
        return await _codecs.recv_json(self, flags, **kwargs)

    async def send_pyobj(self, obj: Any, flags: int = 0,  # type: ignore[override]
                         protocol: int | None = None, **kwargs: Any) -> None:
        """Send *obj* pickled (zmq-serial)."""
        if protocol is not None:
            kwargs["protocol"] = protocol
        return cast(None, await _codecs.send_pyobj(self, obj, flags, **kwargs))

    async def recv_pyobj(self, flags: int = 0, **kwargs: Any) -> Any:
        """Receive one pickled object (zmq-serial). Unpickling runs code:
        only from peers you trust."""
        return await _codecs.recv_pyobj(self, flags, **kwargs)

    async def send_serialized(  # type: ignore[override]
            self, msg: _T, serialize: Callable[[_T], Any], flags: int = 0, copy: bool = True,
            **kwargs: Any) -> None:
        """Send ``serialize(msg)`` (a list of frames) as one message (zmq-serial)."""
        return cast(None, await _codecs.send_serialized(
            self, msg, serialize, flags, copy, **kwargs))

    async def recv_serialized(  # type: ignore[override]
            self, deserialize: Callable[[Any], _T], flags: int = 0, copy: bool = True) -> _T:
        """``deserialize(frames)`` of one received message (zmq-serial)."""
        return cast(_T, await _codecs.recv_serialized(
            self, deserialize, flags, copy))

    async def send_msgpack(self, obj: Any, flags: int = 0,  # type: ignore[override]
                           **kwargs: Any) -> None:
        """Send *obj* as msgpack (zmq-serial, needs msgpack)."""
        return cast(None, await _codecs.send_msgpack(self, obj, flags, **kwargs))

    async def recv_msgpack(self, flags: int = 0, **kwargs: Any) -> Any:
        """Receive one msgpack message (zmq-serial, needs msgpack)."""
        return await _codecs.recv_msgpack(self, flags, **kwargs)

    async def send_array(self, array: Any, flags: int = 0,
                         copy: bool = False, track: bool = False, **kwargs: Any) -> Any:
        """Send a numpy array (zmq-serial, needs numpy)."""
        return await _codecs.send_array(self, array, flags, copy, track, **kwargs)

    async def recv_array(self, flags: int = 0, copy: bool = False, **kwargs: Any) -> Any:
        """Receive a numpy array (zmq-serial, needs numpy)."""
        return await _codecs.recv_array(self, flags, copy, **kwargs)

    def _deserialize(self, received: Any, load: Callable[[Any], _T]) -> Any:
        """zmq.core.codecs' hook: the coroutine of ``load(message)`` for the
        receive coroutine *received*. The receive returns in the step that
        took the message, and *load* runs in that same step."""
        return _decoded(received, load)

    async def poll(self, timeout: int | None = None,  # type: ignore[override]
                   flags: int = _POLLIN) -> int:
        """The events among *flags* ready within *timeout* ms (None or
        negative: no limit), 0 if none."""
        if self.closed:
            raise _ZMQError(zmq.ENOTSUP)
        flags = int(flags)
        waiters = self._waiters
        await checkpoint_if_cancelled()
        events = self._look(waiters) if waiters.blocked else _get(self, _EVENTS)
        if events & flags or timeout == 0:
            return events & flags
        with anyio.move_on_after(_seconds(timeout)):
            while True:
                await self._block(waiters, flags, "poll()")
                events = self._look(waiters) if waiters.blocked else _get(self, _EVENTS)
                if events & flags:
                    return events & flags
        return 0

    def get(self, option: int) -> Any:
        result = _get(self, option)
        if option == _EVENTS:
            # reading EVENTS may consume the FD's signal that waiting tasks need
            waiters = self._waiters
            if waiters.blocked and (
                    (result & _POLLIN and waiters.want_in)
                    or (result & _POLLOUT and waiters.want_out)):
                waiters.wake_all()
        return result

    getsockopt = get

    def close(self, linger: int | None = None) -> None:
        """Close the socket; every task waiting on it wakes with
        ``ZMQError(ENOTSOCK)``. Call it from the event loop's thread."""
        if not self.closed:
            waiters = self._waiters
            # wakes every waiting task; the one in wait_readable through
            # notify_closing, which takes the FD off the loop before libzmq
            # closes it
            waiters.wake_all()
            if _shared.get(self.underlying) is waiters:
                del _shared[self.underlying]
        super().close(linger)

    # -- async context manager, iteration, streams ------------------------------

    async def __aenter__(self) -> "Self":
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __aiter__(self) -> "Self":
        return self

    async def __anext__(self) -> list[bytes]:
        """The next multipart message; the iteration ends when the socket
        is closed."""
        if self.closed:
            raise StopAsyncIteration
        try:
            return await self.recv_multipart()
        except _ZMQError as e:
            if e.errno in (_ENOTSOCK, _ETERM) and self.closed:
                raise StopAsyncIteration from None
            raise

    def receive_stream(self, *, copy: bool = True,
                       close_socket: bool = True) -> "MessageReceiveStream":
        """This socket as an anyio ``ObjectReceiveStream`` of multipart
        messages (lists of bytes, or of Frames with ``copy=False``)."""
        return MessageReceiveStream(self, copy=copy, close_socket=close_socket)

    def send_stream(self, *, close_socket: bool = True) -> "MessageSendStream":
        """This socket as an anyio ``ObjectSendStream`` of multipart
        messages (sequences of bytes-like parts)."""
        return MessageSendStream(self, close_socket=close_socket)


def _send_with(socket: Socket, data: Any, flags: int, copy: bool, track: bool,
               kwargs: dict[str, Any]) -> Any:
    return _send(socket, data, flags, copy, track, **kwargs)


def _send_multipart_with(socket: Socket, parts: Any, flags: int, copy: bool, track: bool,
                         kwargs: dict[str, Any]) -> Any:
    return _send_multipart(socket, parts, flags, copy, track, **kwargs)


async def _decoded(received: Any, load: Callable[[Any], _T]) -> _T:
    # no checkpoint between the receive's return and load(): one step
    return load(await received)


def _seconds(timeout: float | None) -> float:
    """A poll timeout in ms (None or negative: none) as anyio's seconds."""
    if timeout is None or timeout < 0:
        return math.inf
    return timeout / 1000


class Poller(zmq.Poller):
    """A Poller whose :meth:`poll` is an ``async def``. It watches this
    module's sockets through their shared waiting, and any other zmq
    socket, raw FD or object with ``fileno()`` through ``anyio.wait_readable``
    / ``wait_writable`` (nobody else may wait on those meanwhile)."""

    async def poll(self, timeout: int | None = None) -> list[tuple[Any, int]]:  # type: ignore[override]
        """``[(socket or fd, events), ...]`` ready within *timeout* ms (None
        or negative: no limit); an empty list if none."""
        await checkpoint_if_cancelled()
        ready = self._look()
        if ready or timeout == 0:
            return ready
        with anyio.move_on_after(_seconds(timeout)):
            while True:
                async with anyio.create_task_group() as group:
                    for obj, flags in self.sockets:
                        if flags:
                            group.start_soon(_signal, obj, flags, group.cancel_scope)
                for obj, _flags in self.sockets:
                    if isinstance(obj, Socket) and obj.closed:
                        raise _closed_error("Poller.poll()")
                ready = self._look()
                if ready:
                    return ready
        return []

    def _look(self) -> list[tuple[Any, int]]:
        ready = _zmq_poll(self, 0)
        # the look read ZMQ_EVENTS: wake tasks waiting on those sockets if
        # it consumed a signal they need
        for obj, _flags in self.sockets:
            if isinstance(obj, Socket):
                waiters = obj._waiters
                if waiters.blocked:
                    obj._look(waiters)
        return ready


async def _signal(obj: Any, flags: int, scope: anyio.CancelScope) -> None:
    """Wait until *obj* may be ready for *flags*, then cancel *scope* (the
    poll's task group: the first signal ends the round)."""
    try:
        if isinstance(obj, Socket):
            await obj._block(obj._waiters, flags, "Poller.poll()")
        elif isinstance(obj, zmq.Socket):
            # any change shows on a zmq socket's FD, writability included
            await anyio.wait_readable(_get(obj, _FD))
        else:
            fd = obj if isinstance(obj, int) else obj.fileno()
            if flags & _POLLIN and flags & _POLLOUT:
                async with anyio.create_task_group() as both:
                    both.start_soon(_fd_signal, fd, True, both.cancel_scope)
                    both.start_soon(_fd_signal, fd, False, both.cancel_scope)
            elif flags & _POLLOUT:
                await anyio.wait_writable(fd)
            else:
                await anyio.wait_readable(fd)
    except (_ZMQError, anyio.ClosedResourceError):
        pass  # closed: the poll's next look tells
    scope.cancel()


async def _fd_signal(fd: int, read: bool, scope: anyio.CancelScope) -> None:
    if read:
        await anyio.wait_readable(fd)
    else:
        await anyio.wait_writable(fd)
    scope.cancel()


class Context(zmq.Context[Socket]):
    """A Context whose sockets are :class:`Socket`. ``Context.instance()``
    is its own singleton, separate from ``zmq.Context.instance()``."""

    _socket_class = Socket
    # a singleton of this class, not zmq.Context's
    _instance = None


class _SocketStream:
    """What the two message streams share: the socket they wrap, closing
    it with the stream (unless ``close_socket=False``), and how the end of
    that socket reads as anyio's errors."""

    def __init__(self, socket: Socket, close_socket: bool, kind: str) -> None:
        if not isinstance(socket, Socket):
            raise TypeError(f"{kind} takes a zmq.anyio.Socket, not {type(socket).__name__}")
        self.socket = socket
        self._close_socket = close_socket
        self._closed = False

    def _ended(self, error: zmq.ZMQError, end: type[Exception]) -> Exception | None:
        """anyio's error for *error* from the socket: ClosedResourceError
        after this stream's aclose(), *end* once the socket was closed
        elsewhere or its context terminated; None for any other error."""
        if error.errno not in (_ENOTSOCK, _ETERM):
            return None
        return anyio.ClosedResourceError() if self._closed else end()

    async def aclose(self) -> None:
        self._closed = True
        if self._close_socket:
            self.socket.close()
        await checkpoint()


class MessageReceiveStream(_SocketStream, ObjectReceiveStream[Any]):
    """A socket as an anyio object stream of received multipart messages.

    ``receive()`` raises ``anyio.EndOfStream`` once the socket was closed
    (elsewhere) or its context terminated, so ``async for`` ends there, and
    ``anyio.ClosedResourceError`` after this stream's own ``aclose()``,
    which closes the socket too unless made with ``close_socket=False``."""

    def __init__(self, socket: Socket, *, copy: bool = True, close_socket: bool = True) -> None:
        super().__init__(socket, close_socket, "MessageReceiveStream")
        self._copy = copy

    async def receive(self) -> Any:
        if self._closed:
            raise anyio.ClosedResourceError
        try:
            return await self.socket.recv_multipart(copy=self._copy)  # type: ignore[call-overload]
        except _ZMQError as e:
            if (ended := self._ended(e, anyio.EndOfStream)) is None:
                raise
            raise ended from None


class MessageSendStream(_SocketStream, ObjectSendStream[Any]):
    """A socket as an anyio object stream that sends multipart messages
    (a sequence of bytes-like parts each).

    ``send()`` raises ``anyio.BrokenResourceError`` once the socket was
    closed (elsewhere) or its context terminated, and
    ``anyio.ClosedResourceError`` after this stream's own ``aclose()``,
    which closes the socket too unless made with ``close_socket=False``."""

    def __init__(self, socket: Socket, *, close_socket: bool = True) -> None:
        super().__init__(socket, close_socket, "MessageSendStream")

    async def send(self, item: Any) -> None:
        if self._closed:
            raise anyio.ClosedResourceError
        if isinstance(item, (bytes, str)):
            raise TypeError(f"MessageSendStream.send() takes a sequence of parts (a list of"
                            f" bytes), not {type(item).__name__}")
        try:
            await self.socket.send_multipart(item)
        except _ZMQError as e:
            if (ended := self._ended(e, anyio.BrokenResourceError)) is None:
                raise
            raise ended from None
