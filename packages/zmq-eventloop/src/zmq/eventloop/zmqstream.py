# SPDX-License-Identifier: BSD-3-Clause
"""ZMQStream: callbacks for a socket on Tornado's IOLoop (PyZMQ's API).

    stream = ZMQStream(socket)             # the current IOLoop
    stream.on_recv(handle_message)         # called with a list of frames
    stream.send_multipart([b"hello"])      # queued, sent when writable

The stream watches the socket's edge-triggered FD and, whenever it fires or
something was queued, reads ZMQ_EVENTS and receives or sends until nothing
more can be done, so no wakeup is lost. A callback may be a coroutine
function: its awaitable is run on the loop.
"""

import asyncio
import collections
import inspect
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from zmq.eventloop._tornado import require

require("zmq.eventloop.zmqstream")

from tornado.ioloop import IOLoop  # noqa: E402
from tornado.log import gen_log  # noqa: E402

import zmq  # noqa: E402
from zmq import POLLIN, POLLOUT  # noqa: E402, F401  (PyZMQ's module has them)
from zmq.core.int_constants import ENOTSOCK as _ENOTSOCK  # noqa: E402
from zmq.core.int_constants import ETERM as _ETERM  # noqa: E402
from zmq.core.int_constants import EVENTS as _EVENTS  # noqa: E402
from zmq.core.int_constants import NOBLOCK as _NOBLOCK  # noqa: E402
from zmq.core.int_constants import POLLIN as _POLLIN  # noqa: E402
from zmq.core.int_constants import POLLOUT as _POLLOUT  # noqa: E402
from zmq.eventloop import busypoll as _busypoll  # noqa: E402
from zmq.eventloop._futures import FutureSocket  # noqa: E402

if TYPE_CHECKING:
    from zmq.core.buffers import BufferLike

# what on_send's callback is called with: the message's parts and the
# send's MessageTracker (or None)
_SendCallback = Callable[[Sequence[Any], "zmq.MessageTracker | None"], Any]
# what on_recv's callback is called with: the message's parts, bytes or Frames
_RecvBytes = Callable[[list[bytes]], Any]
_RecvFrames = Callable[[list[zmq.Frame]], Any]
_StreamRecvBytes = Callable[["ZMQStream", list[bytes]], Any]
_StreamRecvFrames = Callable[["ZMQStream", list[zmq.Frame]], Any]

_isawaitable = inspect.isawaitable


class _CallbackError(TypeError, AssertionError):
    """A callback that is not callable (an AssertionError too, as in PyZMQ)."""


def _check_callable(method: str, callback: object) -> None:
    if callback is not None and not callable(callback):
        raise _CallbackError(f"{method}() takes a callable or None, not {callback!r}")


class _QueueingSocket(zmq.Socket):
    """A shadow of a stream's socket whose send()/send_multipart() queue on
    the stream: the socket's own send_json/send_pyobj/... encode (zmq-serial
    behind zmq-core's public methods), the stream sends when it can."""

    # attributes of this class, not zmq options
    _stream: "ZMQStream"
    _callback: "_SendCallback | None"

    # the stream's send takes a callback where zmq.Socket's takes routing_id
    def send(self, data: "BufferLike | zmq.Frame", flags: int = 0,  # type: ignore[override]
             copy: bool = True, track: bool = False, **kwargs: Any) -> None:
        return self._stream.send(data, flags, copy, track, self._callback, **kwargs)

    def send_multipart(self, msg_parts: "Sequence[BufferLike | zmq.Frame]", flags: int = 0,
                       copy: bool = True, track: bool = False, **kwargs: Any) -> None:
        return self._stream.send_multipart(msg_parts, flags, copy, track, self._callback,
                                           **kwargs)


class ZMQStream:
    """ZMQStream(socket, io_loop=None)

    Attributes: ``socket`` (the wrapped socket), ``io_loop``, ``poller``.
    The socket's ``bind``, ``bind_to_random_port``, ``connect``,
    ``setsockopt``, ``getsockopt`` (and their ``_string``/``_unicode``
    forms) are the stream's too.

    Callbacks get what a plain :class:`zmq.Socket` returns, so an async
    socket (zmq.asyncio, zmq.eventloop.future) is replaced by a plain shadow
    of it, with a RuntimeWarning. The socket is registered with the IOLoop,
    so ``IOLoop.close(all_fds=True)`` closes it.
    """

    def __init__(self, socket: zmq.Socket, io_loop: "IOLoop | None" = None) -> None:
        if isinstance(socket, FutureSocket):
            warnings.warn(
                "ZMQStream takes a plain zmq.Socket, not an async one: using a plain"
                " zmq.Socket shadowing it. Make one with zmq.Socket(shadow=socket) or"
                " ctx.socket(type, socket_class=zmq.Socket).",
                RuntimeWarning,
                stacklevel=2,
            )
            socket = zmq.Socket(shadow=socket)
        self.socket = socket
        self.io_loop = io_loop or IOLoop.current()
        self._loop = self.io_loop.asyncio_loop if hasattr(self.io_loop, "asyncio_loop") \
            else asyncio.get_event_loop()
        self.poller = zmq.Poller()
        self._queueing: _QueueingSocket | None = None
        self._recv_callback: Callable[[Any], Any] | None = None
        self._recv_copy = True
        self._send_callback: _SendCallback | None = None
        self._close_callback: Callable[[], Any] | None = None
        self._send_queue: collections.deque[
            tuple[list[Any], dict[str, Any], _SendCallback | None]] = collections.deque()
        self._fd: int = socket.getsockopt(zmq.FD)
        self._busy = _busypoll.for_loop(self._loop)
        self._watching = False
        self._scheduled = False
        self._closed = False
        self._registered = False
        self._register()
        # the socket's methods, as PyZMQ's ZMQStream has them
        self.bind = socket.bind
        self.bind_to_random_port = socket.bind_to_random_port
        self.connect = socket.connect
        self.setsockopt = socket.setsockopt
        self.getsockopt = socket.getsockopt
        self.setsockopt_string = socket.setsockopt_string
        self.getsockopt_string = socket.getsockopt_string
        self.setsockopt_unicode = socket.setsockopt_unicode
        self.getsockopt_unicode = socket.getsockopt_unicode

    def _register(self) -> None:
        # in the IOLoop's table, so close(all_fds=True) closes the socket (as
        # in PyZMQ); events come through the stream's own asyncio reader,
        # without Tornado's dispatch in between
        try:
            self.io_loop.add_handler(_LoopEntry(self), _ignore_event, IOLoop.READ)
        except (ValueError, AttributeError):
            return  # registered already (another stream), or not a Tornado loop
        self._loop.remove_reader(self._fd)
        self._registered = True

    # -- callbacks ---------------------------------------------------------

    # copy=True (the default) calls back with bytes, copy=False with Frames
    @overload
    def on_recv(self, callback: _RecvBytes, copy: Literal[True] = True) -> None: ...
    @overload
    def on_recv(self, callback: _RecvFrames, copy: Literal[False]) -> None: ...
    @overload
    def on_recv(self, callback: None, copy: bool = True) -> None: ...
    @overload  # copy given as a bool: a callback for either (as PyZMQ types it)
    def on_recv(self, callback: _RecvBytes | _RecvFrames, copy: bool) -> None: ...
    def on_recv(self, callback: Any, copy: bool = True) -> None:
        """Call ``callback(frames)`` for every message (``callback=None``
        stops receiving). With ``copy=False`` frames are :class:`zmq.Frame`."""
        self._check_closed()
        _check_callable("on_recv", callback)
        self._recv_callback = callback
        self._recv_copy = copy
        if callback is None:
            self._update_watch()
        else:
            self._update_watch()
            self._schedule()

    @overload
    def on_recv_stream(self, callback: _StreamRecvBytes,
                       copy: Literal[True] = True) -> None: ...
    @overload
    def on_recv_stream(self, callback: _StreamRecvFrames, copy: Literal[False]) -> None: ...
    @overload
    def on_recv_stream(self, callback: None, copy: bool = True) -> None: ...
    @overload
    def on_recv_stream(self, callback: _StreamRecvBytes | _StreamRecvFrames,
                       copy: bool) -> None: ...
    def on_recv_stream(self, callback: Any, copy: bool = True) -> None:
        """Like on_recv, with ``callback(stream, frames)``."""
        if callback is None:
            return self.stop_on_recv()
        self.on_recv(lambda msg: callback(self, msg), copy=copy)

    def stop_on_recv(self) -> None:
        """Stop receiving."""
        self.on_recv(None)

    def on_send(self, callback: _SendCallback | None) -> None:
        """Call ``callback(msg, status)`` after each message is sent
        (status is the MessageTracker, or None)."""
        self._check_closed()
        _check_callable("on_send", callback)
        self._send_callback = callback

    def on_send_stream(
        self,
        callback: "Callable[[ZMQStream, Sequence[Any], zmq.MessageTracker | None], Any] | None",
    ) -> None:
        """Like on_send, with ``callback(stream, msg, status)``."""
        if callback is None:
            return self.stop_on_send()
        self.on_send(lambda msg, status: callback(self, msg, status))

    def stop_on_send(self) -> None:
        """Stop calling the send callback."""
        self.on_send(None)

    def stop_on_err(self) -> None:
        """Kept for PyZMQ compatibility: there is no error callback."""
        warnings.warn("on_err does nothing with libzmq >= 3", DeprecationWarning, stacklevel=2)

    def on_err(self, callback: Callable[..., Any] | None) -> None:
        """Kept for PyZMQ compatibility: there is no error callback."""
        warnings.warn("on_err does nothing with libzmq >= 3", DeprecationWarning, stacklevel=2)

    def set_close_callback(self, callback: Callable[[], Any] | None) -> None:
        """Call ``callback()`` when the stream closes."""
        self._close_callback = callback

    # -- sending -----------------------------------------------------------

    def send(self, msg: "BufferLike | zmq.Frame", flags: int = 0, copy: bool = True,
             track: bool = False, callback: _SendCallback | None = None,
             **kwargs: Any) -> None:
        """Queue one part to send."""
        return self.send_multipart([msg], flags=flags, copy=copy, track=track,
                                   callback=callback, **kwargs)

    def send_multipart(self, msg: "Iterable[BufferLike | zmq.Frame]", flags: int = 0,
                       copy: bool = True, track: bool = False,
                       callback: _SendCallback | None = None, **kwargs: Any) -> None:
        """Queue a multipart message to send when the socket is writable;
        *callback* replaces the on_send callback for this message."""
        self._check_closed()
        msg = list(msg)
        if not self._send_queue:
            # nothing queued ahead: try at once, saving a trip round the loop
            try:
                status = self.socket.send_multipart(msg, flags | _NOBLOCK, copy=copy,
                                                    track=track, **kwargs)
            except zmq.Again:
                pass
            else:
                callback = callback or self._send_callback
                if callback is not None:
                    self._loop.call_soon(self._run, callback, msg, status)
                if self._recv_callback is not None:
                    # the send may have consumed the FD's signal
                    self._schedule()
                return
        self._send_queue.append((msg, {"flags": flags, "copy": copy, "track": track,
                                       **kwargs}, callback))
        self._update_watch()
        self._schedule()

    def send_string(self, u: str, flags: int = 0, encoding: str = "utf-8",
                    callback: _SendCallback | None = None, **kwargs: Any) -> None:
        """Queue a str, encoded with *encoding*."""
        if not isinstance(u, str):
            raise TypeError(f"send_string() takes str, not {type(u).__name__}")
        return self.send(u.encode(encoding), flags=flags, callback=callback, **kwargs)

    send_unicode = send_string

    def _encoder(self, callback: _SendCallback | None) -> _QueueingSocket:
        # the socket's own send_json/send_pyobj encode; the result is queued
        queueing = self._queueing
        if queueing is None:
            queueing = self._queueing = _QueueingSocket(shadow=self.socket)
            queueing._stream = self
        queueing._callback = callback
        return queueing

    def send_json(self, obj: Any, flags: int = 0, callback: _SendCallback | None = None,
                  **kwargs: Any) -> None:
        """Queue *obj* as JSON, encoded by the socket's ``send_json`` (which
        needs zmq-serial); *kwargs* as for ``Socket.send_json``."""
        self._check_closed()
        self._encoder(callback).send_json(obj, flags, **kwargs)

    def send_pyobj(self, obj: Any, flags: int = 0, protocol: int = -1,
                   callback: _SendCallback | None = None, **kwargs: Any) -> None:
        """Queue *obj* pickled (highest protocol by default), encoded by the
        socket's ``send_pyobj`` (which needs zmq-serial)."""
        self._check_closed()
        self._encoder(callback).send_pyobj(obj, flags, protocol, **kwargs)

    # -- state ---------------------------------------------------------------

    def receiving(self) -> bool:
        """True while a receive callback is set."""
        return self._recv_callback is not None

    def sending(self) -> bool:
        """True while messages wait to be sent."""
        return bool(self._send_queue)

    def closed(self) -> bool:
        """True once close() was called or the socket closed."""
        if not self._closed and self.socket.closed:
            self.close()
        return self._closed

    def flush(self, flag: int = zmq.POLLIN | zmq.POLLOUT, limit: int | None = None) -> int:
        """Handle what is ready right now (up to *limit* messages per
        direction); return how many callbacks ran."""
        return self._process(flag, limit)

    def close(self, linger: int | None = None) -> None:
        """Close the socket (and stop watching it); run the close callback."""
        self._close(linger, warn=True)

    def _close(self, linger: int | None, warn: bool) -> None:
        if self._closed:
            return
        self._closed = True
        self._unwatch()
        if warn and self.socket.closed:
            # the FD number may belong to something else by now
            warnings.warn(
                f"Unregistering FD {self._fd} after closing socket: close the stream"
                f" (stream.close()) rather than its socket",
                stacklevel=3,
            )
        self._unregister()
        if not self.socket.closed:
            self.socket.close(linger)
        callback, self._close_callback = self._close_callback, None
        if callback is not None:
            self._run(callback)

    # -- the engine --------------------------------------------------------------

    def _check_closed(self) -> None:
        if self._closed:
            raise OSError("the stream is closed")

    def _update_watch(self) -> None:
        want = self._recv_callback is not None or bool(self._send_queue)
        if want and not self._watching:
            self._loop.add_reader(self._fd, self._on_fd)
            self._watching = True
        elif not want and self._watching:
            self._unwatch()

    def _unwatch(self) -> None:
        if self._watching:
            try:
                self._loop.remove_reader(self._fd)
            except Exception:
                pass  # the loop is closed already
            self._watching = False

    def _unregister(self) -> None:
        if self._registered:
            self._registered = False
            try:
                self.io_loop.remove_handler(self._fd)
            except Exception:
                pass  # the loop is closed already

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._on_fd)

    def _on_fd(self) -> None:
        self._scheduled = False
        if self._closed:
            return
        if self.socket.closed:
            gen_log.warning("Got events for stream %r attached to closed socket", self)
            self.close()
            return
        try:
            handled = self._process(_POLLIN | _POLLOUT, None)
        except zmq.ZMQError as e:
            if e.errno in (_ETERM, _ENOTSOCK):
                gen_log.warning("Got events for stream %r attached to closed socket: %s",
                                self, e)
                self.close()
            else:
                raise
            return
        if handled:
            self._busy.progress()
        self._update_watch()
        if self._watching:
            # more is expected: keep the loop turning for a moment
            self._busy.waiting()

    def _process(self, flag: int, limit: int | None) -> int:
        handled = 0
        progress = True
        socket = self.socket
        flag = int(flag)
        while progress and not self._closed:
            progress = False
            events = socket.get(_EVENTS)
            if flag & _POLLIN and events & _POLLIN and self._recv_callback is not None:
                if limit is None or handled < limit:
                    msg = socket.recv_multipart(_NOBLOCK, self._recv_copy)
                    self._run(self._recv_callback, msg)
                    handled += 1
                    progress = True
            if flag & _POLLOUT and events & _POLLOUT and self._send_queue:
                if limit is None or handled < limit:
                    msg, kwargs, callback = self._send_queue.popleft()
                    kwargs = dict(kwargs)
                    flags = kwargs.pop("flags") | _NOBLOCK
                    try:
                        status = self.socket.send_multipart(msg, flags, **kwargs)
                    except zmq.Again:
                        self._send_queue.appendleft((msg, dict(kwargs, flags=flags), callback))
                    else:
                        callback = callback or self._send_callback
                        if callback is not None:
                            self._run(callback, msg, status)
                        handled += 1
                        progress = True
        return handled

    def _run(self, callback: Callable[..., Any], *args: Any) -> Any:
        try:
            result = callback(*args)
        except Exception:
            # logged as PyZMQ does, then up to the loop's exception handler
            gen_log.error("Uncaught exception in ZMQStream callback", exc_info=True)
            raise
        if result is not None and _isawaitable(result):
            task = asyncio.ensure_future(result, loop=self._loop)
            task.add_done_callback(_report_failure)
        return result


def _report_failure(task: "asyncio.Future[Any]") -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        gen_log.error("Uncaught exception in ZMQStream callback",
                      exc_info=(type(error), error, error.__traceback__))


class _LoopEntry:
    """What a stream registers with Tornado's IOLoop: the FD it watches, and
    close() for ``IOLoop.close(all_fds=True)``, which closes the stream (its
    socket, its close callback) rather than the socket under it."""

    __slots__ = ("_stream",)

    def __init__(self, stream: ZMQStream) -> None:
        self._stream = stream

    def fileno(self) -> int:
        return self._stream._fd

    def close(self) -> None:
        # the loop is closing and forgets the FD itself: a socket closed
        # before (by its owner, at teardown) is no cause for a warning
        self._stream._close(None, warn=False)


def _ignore_event(fd: Any, events: int) -> None:
    # Tornado's handler for a stream's socket: only bookkeeping (see
    # ZMQStream._register); the stream's own reader handles the events
    pass


__all__ = ["ZMQStream"]
