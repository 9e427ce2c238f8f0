# SPDX-License-Identifier: BSD-3-Clause
"""Sockets whose send/recv/poll return futures, driven by an asyncio loop
(Tornado 6 runs on asyncio, so one implementation serves both).

How wakeups are never lost: libzmq's socket FD is edge-triggered. It
becomes readable when the socket's state *may* have changed, and is re-armed
only by a libzmq call that processes the socket's commands (reading
ZMQ_EVENTS, or a send/recv, including one that finds nothing to do). So
every time the FD fires, and after every operation done while futures are
waiting, pending operations are attempted until one would block, and
pending polls look again.

One reader per socket FD: a socket's own reader serves its queued
operations *and* the polls that watch it, so a poll never replaces (nor,
when it ends, removes) the reader a pending receive relies on, and any
number of polls can wait on one socket.

How cancellation never drops or duplicates a message: a pending operation
stays queued as a future; when the socket is ready, the next future that is
not done is completed *in the same step* as the libzmq call that receives
or sends its message. A decoded receive (recv_string, recv_json, ...) is the
same single future, its decoding done in that same step. A cancelled future
is simply skipped, before any message was taken for it; once a message was
taken, the future is done and refuses to be cancelled.

Busy-polling (zmq.eventloop.busypoll): while the loop spins, a task that
awaits a queued operation looks at its socket itself between two turns of
the loop (ZMQ_EVENTS, then the same in-order completion as the FD's
reader), so that the message it waits for is taken in the task's own step
and the task goes on at once, instead of one turn later through the
future's callback. The operation stays queued as above meanwhile, so the
rules on order and cancellation are the same.
"""

import asyncio
import collections
import time
import types
import warnings
import weakref
from collections.abc import Awaitable, Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

if TYPE_CHECKING:
    from zmq.core.buffers import BufferLike

import zmq
from zmq.core.int_constants import DONTWAIT as _DONTWAIT
from zmq.core.int_constants import EVENTS as _EVENTS
from zmq.core.int_constants import FD as _FD
from zmq.core.int_constants import POLLIN as _POLLIN
from zmq.core.int_constants import POLLOUT as _POLLOUT
from zmq.core.int_constants import RCVTIMEO as _RCVTIMEO
from zmq.eventloop import busypoll as _busypoll
from zmq.eventloop._fastpath import FutureSocketBase, _future_maker
from zmq.eventloop._fastpath import IOState as _IOState

# plain ints (above) and unbound methods: the hot paths below avoid IntFlag
# arithmetic and attribute look-ups on every call
_Again = zmq.Again
_get = zmq.Socket.get
_recv = zmq.Socket.recv
_recv_into = zmq.Socket.recv_into
_zmq_poll = zmq.Poller.poll
_running_loop = asyncio._get_running_loop  # None outside a running loop, never raises
_is_closed = zmq.Socket.closed.__get__
_now = time.perf_counter

# a non-blocking operation: op(socket, *args, **kwargs)
_Op = Callable[..., Any]
_Future = asyncio.Future[Any]
# fd -> the callbacks of the polls waiting on it
_FdTable = dict[int, list[Callable[[], Any]]]


def _recv_string_op(socket: zmq.Socket, flags: int, encoding: str) -> Any:
    # zmq.Socket.recv_string calls self.recv, which here returns a future
    return _recv(socket, flags).decode(encoding)


def _recv_into_op(socket: zmq.Socket, flags: int, buffer: "BufferLike", nbytes: int) -> Any:
    # recv_into takes flags by keyword; _start passes them positionally
    return _recv_into(socket, buffer, nbytes=nbytes, flags=flags)


def _decoding(op: _Op, load: Callable[[Any], Any]) -> _Op:
    """op, then load() of what it received, as one step."""

    def received_then_loaded(socket: zmq.Socket, *args: Any, **kwargs: Any) -> Any:
        return load(op(socket, *args, **kwargs))

    return received_then_loaded


def _prune(queue: "collections.deque[_Pending]") -> bool:
    """Drop operations that ended (cancelled, timed out) from the head of
    *queue*, where they no longer stand in the way; True if it is empty."""
    while queue and queue[0].future.done():
        queue.popleft()
    return not queue


_T = TypeVar("_T")
_FS = TypeVar("_FS", bound="FutureSocket")


def _settle(target: _Future, source: _Future, transform: Callable[[Any], Any]) -> None:
    """Give the pending future *target* the outcome of the done future
    *source*, its result passed through *transform*."""
    if source.cancelled():
        target.cancel()
    elif (error := source.exception()) is not None:
        target.set_exception(error)
    else:
        try:
            target.set_result(transform(source.result()))
        except Exception as e:
            target.set_exception(e)


class _Pending:
    """An operation waiting for its socket: the future it completes and the
    non-blocking call (``op(socket, *args, **kwargs)``) that completes it;
    *kwargs* is None when empty (a call with an empty ``**kwargs`` is slower)."""

    __slots__ = ("future", "op", "args", "kwargs", "timer")

    def __init__(self, future: _Future, op: _Op, args: tuple[Any, ...],
                 kwargs: dict[str, Any] | None) -> None:
        self.future = future
        self.op = op
        self.args = args
        self.kwargs = kwargs
        self.timer: asyncio.TimerHandle | None = None



class _SpinningFuture(asyncio.Future[Any]):
    """The future of a queued operation started while the loop busy-polls.
    Awaited by a task, it looks at its socket between turns of the loop
    (see the module docstring) until it is done or the spin ends, then
    waits as any future does. A task cancelled during the spin cancels the
    operation first (nothing was taken for it, or it is done already and
    refuses, as with a plain future)."""

    __slots__ = ("_zmq_io", "_zmq_callbacks")
    # set by _enqueue right after the future is made (no __init__ of its
    # own: one Python call less per wait)
    _zmq_io: "_IOState | None"
    _zmq_callbacks: bool

    def add_done_callback(self, fn: Callable[[Any], object], *,
                          context: Any = None) -> None:
        self._zmq_callbacks = True
        super().add_done_callback(fn, context=context)

    def __await__(self) -> Generator[Any, None, Any]:
        io = self._zmq_io
        if io is not None:
            # once: a second await of the same future just waits
            self._zmq_io = None
            busy = io.busy
            busy.task_spins()
            # to libzmq's I/O thread, while it waits for this CPU (see busypoll)
            giving_way = True
            try:
                while not self.done() and busy.turning():
                    if giving_way:
                        giving_way = _busypoll.give_way()
                    try:
                        yield  # one turn of the loop (a bare yield, as asyncio.sleep(0))
                    except BaseException:
                        self.cancel()
                        raise
                    if not self.done():
                        sock = io.socket()
                        if sock is None or not _look(sock, io):
                            break
            finally:
                busy.task_stops()
            if self._zmq_callbacks and self.done():
                # as with a plain future, the callbacks added before the
                # await run before the awaiting task goes on: they are
                # scheduled already, one more turn runs them first
                yield
        return (yield from _future_await(self))

    __iter__ = __await__


_future_await = asyncio.Future.__await__


def _look(sock: "FutureSocket", io: _IOState) -> bool:
    """Complete what the socket's state (ZMQ_EVENTS) now allows, as the
    FD's reader would; False if the socket cannot be asked (closed, its
    context terminated)."""
    if io.handling or _is_closed(sock):
        return False
    try:
        events = _get(sock, _EVENTS)
    except zmq.ZMQError:
        # the context is ending (ETERM): this read took in libzmq's stop
        # command, and the FD will not fire for it again, so the queued
        # operations and polls look now (and fail with the error)
        _handle_events(sock, io)
        return False
    # reading EVENTS drained the FD: whatever it shows is handled now
    if (events & _POLLIN and io.recv_queue) or (events & _POLLOUT and io.send_queue) \
            or io.polls:
        _handle_events(sock, io)
    return True


class FutureSocket(FutureSocketBase):
    """A zmq Socket whose blocking methods return awaitables.

    ``send``, ``send_multipart``, ``recv``, ``recv_multipart``, ``recv_into``,
    ``recv_string`` (and zmq-serial's ``recv_json``, ``recv_pyobj``, ...) and
    ``poll`` return futures bound to the socket's event loop (the running
    loop when the socket is first used; a socket whose loop was closed moves
    to the next loop it is used from). RCVTIMEO/SNDTIMEO make a pending
    operation fail with :class:`zmq.Again` when they expire. Closing the
    socket cancels whatever is still pending, polls included.
    """


    # zmq.eventloop.future's sockets register with Tornado's IOLoop, so that
    # IOLoop.close(all_fds=True) closes them (as in PyZMQ)
    _tornado_handler = False
    # the Poller class of these sockets (PyZMQ's name), set by each flavour
    _poller_class: "type[FuturePoller]"

    def __init__(self, context: "zmq.Context | zmq.Socket | None" = None,
                 socket_type: int = -1, io_loop: Any = None, **kwargs: Any) -> None:
        super().__init__(context, socket_type, **kwargs)
        self._io = io = _IOState(io_loop, self)
        if io.loop is not None and self._tornado_handler:
            self._register_with_tornado(io, io_loop)

    @classmethod
    def from_socket(cls: "type[_FS]", socket: zmq.Socket, io_loop: Any = None) -> _FS:
        """Wrap an existing (synchronous) socket; both share the libzmq socket."""
        return cls(shadow=socket, io_loop=io_loop)

    # -- the loop -----------------------------------------------------------

    def _get_loop(self) -> Any:
        """The socket's loop, checked against the running one."""
        io = self._io
        loop = io.loop
        running = _running_loop()
        if loop is None:
            loop = running if running is not None else asyncio.get_event_loop_policy() \
                .get_event_loop()
            self._adopt_loop(io, loop)
        elif running is not loop and running is not None:
            loop = self._move_to_loop(io, loop, running)
        return loop

    def _adopt_loop(self, io: _IOState, loop: Any, ioloop: Any = None) -> None:
        with io.loop_lock:
            if io.closed_loopless:
                raise zmq.ZMQError(zmq.ENOTSOCK)
            io.loop = getattr(loop, "asyncio_loop", loop)
        io.busy = _busypoll.for_loop(io.loop)
        io.new_future = _future_maker(io.loop)
        io.scheduled = io.handling = False
        if self._tornado_handler:
            self._register_with_tornado(io, ioloop)

    def _move_to_loop(self, io: _IOState, old: Any, new: Any) -> Any:
        # a socket may move to another loop once its own loop is closed, or
        # stopped with nothing pending on it (as PyZMQ sockets can); moving
        # away from work still pending on a live loop would strand it
        busy = bool(io.recv_queue or io.send_queue or io.polls)
        if not old.is_closed() and (old.is_running() or busy):
            raise RuntimeError(
                f"{self!r} belongs to event loop {old!r}, which is still running or has"
                f" operations pending on it; it cannot be used from {new!r}."
                f" Make one socket per loop."
            )
        self._cancel_pending()
        self._unwatch()
        self._unregister_from_tornado()
        self._adopt_loop(io, new)
        return new

    def _register_with_tornado(self, io: _IOState, ioloop: Any = None) -> None:
        """Record the socket in Tornado's IOLoop, as PyZMQ does, so that
        ``IOLoop.close(all_fds=True)`` closes it. The events themselves come
        through the socket's own asyncio reader, without Tornado's dispatch
        in between."""
        if self.closed or io.loop is None:
            return
        try:
            from tornado.ioloop import IOLoop

            if ioloop is None:
                ioloop = IOLoop.current()
        except Exception:
            return
        runs_on: Any = getattr(ioloop, "asyncio_loop", None)
        if runs_on is not io.loop:
            return
        fd = _get(self, _FD)
        try:
            ioloop.add_handler(self, _ignore_event, IOLoop.READ)
        except ValueError:  # the FD is registered already (another wrapper)
            return
        # Tornado's reader on the FD gives way to the socket's own one, added
        # when the socket starts to watch
        io.loop.remove_reader(fd)
        io.reader_fd = None
        io.tornado = ioloop

    def _unregister_from_tornado(self) -> None:
        io = self._io
        ioloop = io.tornado
        if ioloop is None:
            return
        io.tornado = None
        try:
            ioloop.remove_handler(self)
        except Exception:
            pass  # the loop is closed

    # compatibility with code that reads these (PyZMQ has similar names)
    @property
    def _loop(self) -> Any:
        return self._io.loop

    _current_loop = _loop

    @property
    def _recv_queue(self) -> "collections.deque[_Pending]":
        return self._io.recv_queue

    @property
    def _send_queue(self) -> "collections.deque[_Pending]":
        return self._io.send_queue

    # PyZMQ's names for the same queues
    _recv_futures = _recv_queue
    _send_futures = _send_queue

    def _future(self) -> _Future:
        future: _Future = self._get_loop().create_future()
        return future

    def _watch(self, io: _IOState) -> None:
        if io.reader_fd is None and not self.closed:
            fd = _get(self, _FD)
            io.loop.add_reader(fd, _handle_events, self, io)
            io.reader_fd = fd

    def _unwatch(self) -> None:
        io = self._io
        if io.reader_fd is not None:
            try:
                io.loop.remove_reader(io.reader_fd)
            except Exception:
                # the loop is already closed: nothing is left to remove
                pass
            io.reader_fd = None

    # -- queued operations ----------------------------------------------------

    def _enqueue(self, io: _IOState, loop: Any, queue: "collections.deque[_Pending]", op: _Op,
                 args: tuple[Any, ...], kwargs: dict[str, Any] | None,
                 timeout_option: int) -> _Future:
        # raises ENOTSOCK here, synchronously, on a closed socket (as PyZMQ)
        timeout = _get(self, timeout_option)
        future: _Future
        if io.busy.waiting():
            future = spinning = _SpinningFuture(loop=loop)
            spinning._zmq_io = io
            spinning._zmq_callbacks = False
        else:
            future = loop.create_future()
        pending = _Pending(future, op, args, kwargs)
        queue.append(pending)
        if timeout >= 0:
            pending.timer = loop.call_later(timeout / 1000, self._expire, pending)
        # Callers tried the operation (or read ZMQ_EVENTS) just before, or
        # queued behind others, which keeps the FD watched: that left the FD
        # armed for the next change, and a pending signal shows at once
        # (asyncio watches the FD level-triggered). No extra look is needed.
        if io.reader_fd is None:
            self._watch(io)
        return future

    def _expire(self, pending: _Pending) -> None:
        if not pending.future.done():
            pending.future.set_exception(_Again())

    def _schedule_events(self, io: _IOState) -> None:
        if not io.scheduled:
            io.scheduled = True
            io.loop.call_soon(_handle_events, self, io)

    def _handle_events(self) -> None:
        # the FD's reader (and call_soon after a call that consumed its signal)
        _handle_events(self, self._io)

    def _cancel_pending(self) -> None:
        """Cancel what waits on the socket (it is closing, or moving to
        another loop), polls included, as PyZMQ does."""
        io = self._io
        for queue in (io.recv_queue, io.send_queue):
            while queue:
                pending = queue.popleft()
                try:
                    if pending.timer is not None:
                        pending.timer.cancel()
                    pending.future.cancel()
                except RuntimeError:
                    pass  # its event loop is closed: nobody can await it now
        for wait in list(io.polls):
            wait.cancel()
        io.polls.clear()

    # -- the public methods ---------------------------------------------------

    def _done(self, io: _IOState, loop: Any, result: Any) -> _Future:
        # completed at once; other operations (or polls) may wait behind the
        # signal the call just consumed
        future: _Future = loop.create_future()
        future.set_result(result)
        if io.recv_queue or io.send_queue or io.polls:
            self._schedule_events(io)
        return future

    def _failed(self, loop: Any, error: BaseException) -> _Future:
        future: _Future = loop.create_future()
        future.set_exception(error)
        return future

    def _finish_now(self, io: _IOState, loop: Any, op: _Op, args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> _Future:
        # NOBLOCK: the answer (or zmq.Again) is known at once
        try:
            result = op(self, *args, **kwargs)
        except Exception as e:
            return self._failed(loop, e)
        return self._done(io, loop, result)

    def _start(self, io: _IOState, queue: "collections.deque[_Pending]", op: _Op,
               lead: tuple[Any, ...], flags: int, rest: tuple[Any, ...],
               kwargs: dict[str, Any], timeout_option: int, want: int) -> _Future:
        """op(self, *lead, flags, *rest, **kwargs) now if it can complete at
        once and nothing is queued ahead, else queued; returns its future.
        *want*: POLLIN for a receive, POLLOUT for a send."""
        loop = io.loop
        running = _running_loop()
        if loop is None or (running is not loop and running is not None):
            loop = self._get_loop()
        if flags & _DONTWAIT:
            return self._finish_now(io, loop, op, lead + (flags,) + rest, kwargs)
        args = lead + (flags | _DONTWAIT,) + rest
        if not queue or _prune(queue):
            # The last such operation had to wait, so this one likely will:
            # ask ZMQ_EVENTS first. It arms the FD as a failed attempt does,
            # without the cost of raising zmq.Again.
            if not io.waited & want or _get(self, _EVENTS) & want:
                try:
                    result = op(self, *args, **kwargs)
                except _Again:
                    pass
                except Exception as e:
                    if self.closed:
                        raise
                    return self._failed(loop, e)
                else:
                    io.waited &= ~want
                    return self._done(io, loop, result)
            # that look may have consumed the FD's signal for the others
            if io.recv_queue or io.send_queue or io.polls:
                self._schedule_events(io)
        io.waited |= want
        return self._enqueue(io, loop, queue, op, args, kwargs or None, timeout_option)

    def _wait_after_try(self, io: _IOState, queue: "collections.deque[_Pending]", op: _Op,
                        args: tuple[Any, ...], kwargs: dict[str, Any] | None,
                        timeout_option: int, want: int) -> _Future:
        """Queue op(self, *args, **kwargs) after a fast path's attempt of it
        found nothing to do (see recv)."""
        # the attempt may have consumed the FD's signal the others wait for
        if io.recv_queue or io.send_queue or io.polls:
            self._schedule_events(io)
        io.waited |= want
        return self._enqueue(io, io.loop, queue, op, args, kwargs or None, timeout_option)

    def _fast_failed(self, loop: Any, error: Exception) -> _Future:
        # a fast path's attempt failed (not with zmq.Again): as in _start
        if self.closed:
            raise error
        return self._failed(loop, error)

    # recv, recv_multipart, send and send_multipart are FutureSocketBase's
    # (compiled, zmq/eventloop/_fastpath.pyx). They return awaitables:
    # typed here so that ``await sock.recv()`` is bytes (a Frame with
    # copy=False) and a forgotten await is a type error.
    if TYPE_CHECKING:
        @overload  # type: ignore[override]
        def recv(self, flags: int = 0, copy: Literal[True] = True,
                 track: bool = False) -> Awaitable[bytes]: ...
        @overload
        def recv(self, flags: int = 0, *, copy: Literal[False],
                 track: bool = False) -> Awaitable[zmq.Frame]: ...
        @overload
        def recv(self, flags: int, copy: Literal[False],
                 track: bool = False) -> Awaitable[zmq.Frame]: ...
        @overload
        def recv(self, flags: int = 0, copy: bool = True,
                 track: bool = False) -> Awaitable[bytes | zmq.Frame]: ...
        def recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any:
            """Receive one part; returns a future of bytes (or a Frame)."""

        @overload  # type: ignore[override]
        def recv_multipart(self, flags: int = 0, copy: Literal[True] = True,
                           track: bool = False) -> Awaitable[list[bytes]]: ...
        @overload
        def recv_multipart(self, flags: int = 0, *, copy: Literal[False],
                           track: bool = False) -> Awaitable[list[zmq.Frame]]: ...
        @overload
        def recv_multipart(self, flags: int, copy: Literal[False],
                           track: bool = False) -> Awaitable[list[zmq.Frame]]: ...
        @overload
        def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False
                           ) -> Awaitable[list[bytes] | list[zmq.Frame]]: ...
        def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False
                           ) -> Any:
            """Receive a whole multipart message; returns a future of a list."""

        def send(self, data: "BufferLike | zmq.Frame", flags: int = 0,  # type: ignore[override]
                 copy: bool = True, track: bool = False,
                 **kwargs: Any) -> Awaitable[zmq.MessageTracker | None]:
            """Send one part; returns a future (of a MessageTracker with track)."""

        def send_multipart(  # type: ignore[override]
                self, msg_parts: "Sequence[BufferLike | zmq.Frame]", flags: int = 0,
                copy: bool = True, track: bool = False,
                **kwargs: Any) -> Awaitable[zmq.MessageTracker | None]:
            """Send a multipart message; returns a future."""

    def recv_into(self, buffer: "BufferLike", /, *, nbytes: int = 0,  # type: ignore[override]
                  flags: int = 0) -> Awaitable[int]:
        """Receive one part into *buffer*; returns a future of the part's
        size (larger than the buffer if it was truncated)."""
        io = self._io
        return self._start(io, io.recv_queue, _recv_into_op, (), flags, (buffer, nbytes), {},
                           _RCVTIMEO, _POLLIN)

    def recv_string(self, flags: int = 0,  # type: ignore[override]
                    encoding: str = "utf-8") -> Awaitable[str]:
        """Receive one part decoded from *encoding*; returns a future of str."""
        io = self._io
        return self._start(io, io.recv_queue, _recv_string_op, (), flags, (encoding,), {},
                           _RCVTIMEO, _POLLIN)

    recv_unicode = recv_string  # type: ignore[assignment]

    if TYPE_CHECKING:
        # zmq-serial's methods, inherited from zmq.Socket: on these sockets
        # they return awaitables too
        def send_json(  # type: ignore[override]
            self, obj: Any, flags: int = 0, **kwargs: Any) -> Awaitable[None]: ...
        def recv_json(
            self, flags: int = 0, **kwargs: Any) -> Awaitable[Any]: ...
        def send_pyobj(  # type: ignore[override]
            self, obj: Any, flags: int = 0, protocol: int | None = None,
            **kwargs: Any) -> Awaitable[None]: ...
        def recv_pyobj(
            self, flags: int = 0, **kwargs: Any) -> Awaitable[Any]: ...
        def send_serialized(  # type: ignore[override]
            self, msg: _T, serialize: Callable[[_T], list[Any]], flags: int = 0,
            copy: bool = True, **kwargs: Any) -> Awaitable[None]: ...
        def recv_serialized(  # type: ignore[override]
            self, deserialize: Callable[[list[Any]], _T], flags: int = 0,
            copy: bool = True) -> Awaitable[_T]: ...
        def send_msgpack(  # type: ignore[override]
            self, obj: Any, flags: int = 0, **kwargs: Any) -> Awaitable[None]: ...
        def recv_msgpack(
            self, flags: int = 0, **kwargs: Any) -> Awaitable[Any]: ...
        def send_array(
            self, array: Any, flags: int = 0, copy: bool = False, track: bool = False,
            **kwargs: Any) -> Awaitable[Any]: ...
        def recv_array(
            self, flags: int = 0, copy: bool = False, **kwargs: Any) -> Awaitable[Any]: ...

    def send_string(  # type: ignore[override]
            self, u: str, flags: int = 0, copy: bool = True, encoding: str = "utf-8",
            **kwargs: Any) -> Awaitable[zmq.MessageTracker | None]:
        if not isinstance(u, str):
            raise TypeError(f"send_string() takes str, not {type(u).__name__}")
        return self.send(u.encode(encoding), flags, copy, **kwargs)

    send_unicode = send_string  # type: ignore[assignment]

    def _deserialize(self, received: Awaitable[Any], load: Callable[[Any], Any]) -> _Future:
        """The hook zmq-serial's receive functions call with the future of
        the receive they just started: decode when it completes.

        A receive still queued gets the decoding added to its own step, so
        the future handed back is that receive's future: cancelling it is
        refused once a message was taken for it, and a cancelled one takes
        nothing. One that completed at once is decoded now."""
        queue = self._io.recv_queue
        if queue and queue[-1].future is received:
            pending = queue[-1]
            pending.op = _decoding(pending.op, load)
            return received
        if isinstance(received, asyncio.Future) and received.done():
            decoded: _Future = received.get_loop().create_future()
            _settle(decoded, received, load)
            return decoded
        return self._chain(received, load)

    def _chain(self, future: Awaitable[Any], transform: Callable[[Any], Any]) -> _Future:
        # for an awaitable that is not one of this socket's receives
        result = self._future()

        def done(f: _Future) -> None:
            if result.done():
                if not f.cancelled() and f.exception() is None:
                    warnings.warn(f"{result!r} was cancelled after {f!r} completed:"
                                  f" its result was dropped", RuntimeWarning, stacklevel=2)
                return
            _settle(result, f, transform)

        chained = asyncio.ensure_future(future, loop=result.get_loop())
        chained.add_done_callback(done)
        result.add_done_callback(lambda r: chained.cancel() if r.cancelled() else None)
        return result

    def poll(self, timeout: int | None = None,  # type: ignore[override]
             flags: int = _POLLIN) -> Awaitable[int]:
        """A future of the events ready within *timeout* ms (0 if none);
        cancelled if the socket is closed meanwhile."""
        if self.closed:
            raise zmq.ZMQError(zmq.ENOTSUP)
        flags = int(flags)
        loop = self._get_loop()
        return _poll_future(loop, [(self, flags)], timeout, self._own_events)

    def _own_events(self, ready: list[tuple[Any, int]]) -> int:
        for obj, events in ready:
            if obj is self:
                return events
        return 0

    def get(self, option: int) -> Any:
        if option != _EVENTS:
            return _get(self, option)
        try:
            return _get(self, option)
        finally:
            # reading EVENTS may consume the FD's signal meant for pending
            # work (also when it fails: ETERM took in the stop command)
            io = self._io
            if io.recv_queue or io.send_queue or io.polls:
                self._schedule_events(io)

    def close(self, linger: int | None = None) -> None:
        """Close the socket; pending futures (polls too) are cancelled,
        never left hanging. From another thread than the running loop's,
        the loop closes it, and what waits fails with ZMQError(ENOTSOCK)."""
        if self.closed:
            return
        io = self._io
        with io.loop_lock:
            loop = io.loop
            if loop is None:
                # no loop to hand the close to; one adopting the socket now
                # in another thread will find it closed (see _IOState)
                io.closed_loopless = True
        if loop is not None and loop.is_running() and _running_loop() is not loop:
            if self._close_in_loop(loop, linger):
                return
        self._unwatch()
        self._cancel_pending()
        self._unregister_from_tornado()
        super().close(linger)

    def _close_in_loop(self, loop: Any, linger: int | None) -> bool:
        """close() from a thread that does not run the socket's loop: the
        loop's readers, timers and futures belong to its thread, so the
        loop itself fails the waiting tasks (ENOTSOCK: the socket was
        closed under them, not their wait cancelled) and closes; this
        thread waits for it. False if the loop did not (it is closed, or
        blocked for 10 s): the caller then closes from here."""
        import threading

        done = threading.Event()

        def close_here() -> None:
            try:
                if not self.closed:
                    self._unwatch()
                    self._fail_pending(zmq.ZMQError(zmq.ENOTSOCK))
                    self._unregister_from_tornado()
                    super(FutureSocket, self).close(linger)
            finally:
                done.set()

        try:
            loop.call_soon_threadsafe(close_here)
        except RuntimeError:  # the loop closed meanwhile
            return False
        return done.wait(10)

    def _fail_pending(self, error: Exception) -> None:
        """Fail what waits on the socket with *error* (each its own copy)."""
        io = self._io
        for queue in (io.recv_queue, io.send_queue):
            while queue:
                pending = queue.popleft()
                if pending.timer is not None:
                    pending.timer.cancel()
                if not pending.future.done():
                    pending.future.set_exception(type(error)(*error.args))
        for wait in list(io.polls):
            if not wait.future.done():
                wait.finish_error(type(error)(*error.args))
        io.polls.clear()

    def __del__(self) -> None:
        try:
            loop = self._io.loop
            if not self.closed and loop is not None and loop.is_closed():
                warnings.warn(f"{self!r} outlived its event loop", ResourceWarning,
                              stacklevel=2, source=self)
        except Exception:
            pass
        # zmq.Socket.__del__ (compiled; its stub does not list it)
        super().__del__()  # type: ignore[misc]


def _drain(sock: FutureSocket, queue: "collections.deque[_Pending]") -> bool:
    """Complete queued operations in order until one would block."""
    # Trying the operation is as good as asking ZMQ_EVENTS first: a
    # non-blocking call that finds nothing to do processes libzmq's
    # pending commands just the same, so the FD fires again on the next
    # change. It saves one system call per message.
    progress = False
    while queue:
        pending = queue[0]
        future = pending.future
        if future.done():  # cancelled or timed out: skip it
            queue.popleft()
            continue
        error: Exception | None = None
        try:
            kwargs = pending.kwargs
            result = pending.op(sock, *pending.args, **kwargs) if kwargs \
                else pending.op(sock, *pending.args)
        except _Again:
            return progress
        except Exception as e:
            error = e
        queue.popleft()
        if pending.timer is not None:
            pending.timer.cancel()
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)
        progress = True
    return progress


def _handle_events(sock: FutureSocket, io: _IOState) -> None:
    """Complete the socket's queued operations that can be, in order, and
    let its polls look again."""
    io.scheduled = False
    if io.handling or _is_closed(sock):
        return
    io.handling = True
    try:
        # attempt again after every completed operation: the FD is
        # edge-triggered, and an operation may have consumed its signal
        progress = False
        while True:
            done = bool(io.recv_queue) and _drain(sock, io.recv_queue)
            if io.send_queue and _drain(sock, io.send_queue):
                done = True
            if not done:
                break
            progress = True
        if progress:
            io.busy.progress()
        if io.polls:
            for wait in list(io.polls):
                wait.check()
    finally:
        io.handling = False


def _ignore_event(fd: Any, events: int) -> None:
    # Tornado's handler for a FutureSocket's FD: only bookkeeping (see
    # _register_with_tornado); the socket's own reader handles the events
    pass


# -- polling ------------------------------------------------------------------


class _FdReaders:
    """Shared asyncio readers/writers of one loop for FDs that no
    FutureSocket watches (plain zmq sockets, raw FDs and file objects), so
    that overlapping polls on one FD all hear about it."""

    __slots__ = ("_loop", "readers", "writers")

    def __init__(self, loop: Any) -> None:
        self._loop = weakref.ref(loop)
        self.readers: _FdTable = {}  # fd -> [callback, ...]
        self.writers: _FdTable = {}

    @property
    def loop(self) -> Any:
        return self._loop()

    def add(self, fd: int, callback: Callable[[], Any], write: bool) -> None:
        table = self.writers if write else self.readers
        callbacks = table.get(fd)
        if callbacks is None:
            callbacks = table[fd] = []
            if write:
                self.loop.add_writer(fd, self._fire, table, fd)
            else:
                self.loop.add_reader(fd, self._fire, table, fd)
        callbacks.append(callback)

    def remove(self, fd: int, callback: Callable[[], Any], write: bool) -> None:
        table = self.writers if write else self.readers
        callbacks = table.get(fd)
        if callbacks is None:
            return
        try:
            callbacks.remove(callback)
        except ValueError:
            return
        if not callbacks:
            del table[fd]
            try:
                if write:
                    self.loop.remove_writer(fd)
                else:
                    self.loop.remove_reader(fd)
            except Exception:
                pass  # the loop is closed

    @staticmethod
    def _fire(table: _FdTable, fd: int) -> None:
        for callback in list(table.get(fd, ())):
            callback()


# loop -> _FdReaders; an _FdReaders refers to its loop weakly, so a dropped
# loop leaves this table
_fd_readers: "weakref.WeakKeyDictionary[object, _FdReaders]" = weakref.WeakKeyDictionary()


def _readers_for(loop: Any) -> _FdReaders:
    readers = _fd_readers.get(loop)
    if readers is None:
        readers = _fd_readers[loop] = _FdReaders(loop)
    return readers


class _PollWait:
    """One pending poll: its future, what it watches, how it ends."""

    __slots__ = ("future", "poller", "items", "transform", "timer", "sockets", "fds",
                 "busy")

    def __init__(self, future: _Future, poller: zmq.Poller, items: Sequence[tuple[Any, int]],
                 transform: Callable[[Any], Any] | None) -> None:
        self.future = future
        self.poller = poller
        self.items = items
        self.transform = transform
        self.timer: asyncio.TimerHandle | None = None
        # FutureSockets whose reader serves this poll
        self.sockets: list[FutureSocket] = []
        self.fds: list[tuple[int, bool]] = []  # (fd, write) registered in _FdReaders
        self.busy: _busypoll.BusyPoll | None = None

    def check(self, expired: bool = False) -> None:
        """Look now; resolve if anything is ready, or once *expired* (the
        timeout passed) with whatever is, nothing included."""
        if self.future.done():
            return
        try:
            ready = _ready(self.poller)
        except Exception as e:
            self.finish_error(e)
            return
        if expired:
            self.finish(ready)
        elif ready:
            if self.busy is not None:
                self.busy.progress()
            self.finish(ready)

    def finish(self, ready: list[tuple[Any, int]]) -> None:
        try:
            result = self.transform(ready) if self.transform is not None else ready
        except Exception as e:
            self.finish_error(e)
            return
        self.future.set_result(result)

    def finish_error(self, error: BaseException) -> None:
        self.future.set_exception(error)

    def cancel(self) -> None:
        """A socket it watches was closed (or moved to another loop)."""
        try:
            self.future.cancel()
        except RuntimeError:
            pass  # its loop is closed

    def cleanup(self, _future: object = None) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        for sock in self.sockets:
            polls = sock._io.polls
            try:
                polls.remove(self)
            except ValueError:
                pass
        self.sockets = []
        if self.fds:
            readers = _readers_for(self.future.get_loop())
            for fd, write in self.fds:
                readers.remove(fd, self.check, write)
            self.fds = []


def _fd_of(obj: Any) -> int:
    return obj if isinstance(obj, int) else obj.fileno()


def _ready(poller: zmq.Poller) -> list[tuple[Any, int]]:
    """A non-blocking look, results keyed as PyZMQ keys them: zmq sockets by
    themselves, anything else by its FD number."""
    ready = _zmq_poll(poller, 0)
    for i, (obj, events) in enumerate(ready):
        if not isinstance(obj, (zmq.Socket, int)):
            ready[i] = (_fd_of(obj), events)
    return ready


def _poll_future(loop: Any, items: Sequence[tuple[Any, int]], timeout: int | None,
                 transform: Callable[[Any], Any] | None,
                 poller: zmq.Poller | None = None) -> _Future:
    """A future of a poll of *items* ([(obj, flags)]) within *timeout* ms
    (None or negative: no limit), its result passed through *transform*."""
    if poller is None:
        poller = zmq.Poller()
        for obj, flags in items:
            poller.register(obj, flags)
    future: _Future = loop.create_future()
    wait = _PollWait(future, poller, items, transform)
    try:
        ready = _ready(poller)
    except Exception as e:
        future.set_exception(e)
        return future
    for obj, _flags in items:
        # the look may have consumed the FD signal that queued operations of
        # the socket wait for
        if isinstance(obj, FutureSocket):
            io = obj._io
            if (io.recv_queue or io.send_queue) and io.loop is loop:
                obj._schedule_events(io)
    if ready or timeout == 0:
        wait.finish(ready)
        return future
    busy = _busypoll.for_loop(loop)
    wait.busy = busy
    readers: _FdReaders | None = None
    try:
        for obj, flags in items:
            if isinstance(obj, FutureSocket) and obj._io.loop is None:
                obj._adopt_loop(obj._io, loop)
            if isinstance(obj, FutureSocket) and obj._io.loop is loop:
                # the socket's own reader serves its polls too
                io = obj._io
                obj._watch(io)
                io.polls.append(wait)
                wait.sockets.append(obj)
                continue
            if readers is None:
                readers = _readers_for(loop)
            fd = obj.getsockopt(_FD) if isinstance(obj, zmq.Socket) else _fd_of(obj)
            # a zmq socket's FD fires on any change, writability included
            if isinstance(obj, zmq.Socket) or flags & _POLLIN:
                readers.add(fd, wait.check, False)
                wait.fds.append((fd, False))
            if not isinstance(obj, zmq.Socket) and flags & _POLLOUT:
                readers.add(fd, wait.check, True)
                wait.fds.append((fd, True))
    except Exception as e:
        wait.cleanup()
        future.set_exception(e)
        return future
    if timeout is not None and timeout > 0:
        wait.timer = loop.call_later(timeout / 1000, wait.check, True)
    future.add_done_callback(wait.cleanup)
    busy.waiting()
    return future


class FuturePoller(zmq.Poller):
    """A Poller whose poll() returns a future of ``[(socket, events), ...]``
    (raw FDs and file objects are keyed by their FD number, as in PyZMQ).
    Cancelled if one of its async sockets is closed while it waits."""

    def __class_getitem__(cls, item: Any) -> types.GenericAlias:
        # FuturePoller[Socket]: generic, as PyZMQ's typing has it
        return types.GenericAlias(cls, item)

    def poll(self, timeout: int | None = None  # type: ignore[override]
             ) -> Awaitable[list[tuple[Any, int]]]:
        loop = _running_loop()
        if loop is None:
            loop = asyncio.get_event_loop_policy().get_event_loop()
        return _poll_future(loop, self.sockets, timeout, None, poller=self)
