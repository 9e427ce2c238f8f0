# SPDX-License-Identifier: BSD-3-Clause
"""Sockets whose send/recv/poll return futures, driven by an asyncio loop
(Tornado 6 runs on asyncio, so one implementation serves both).

How wakeups are never lost: libzmq's socket FD is edge-triggered. It
becomes readable when the socket's state *may* have changed, and is re-armed
only by a libzmq call that processes the socket's commands (reading
ZMQ_EVENTS, or a send/recv, including one that finds nothing to do). So
every time the FD fires, and after every operation done while futures are
waiting, pending operations are attempted until one would block.

How cancellation never drops or duplicates a message: a pending operation
stays queued as a future; when the socket is ready, the next future that is
not done is completed *in the same step* as the libzmq call that receives
or sends its message. A cancelled future is simply skipped, before any
message was taken for it.
"""

import asyncio
import collections
import warnings

import zmq
from zmq.eventloop import busypoll as _busypoll

# plain ints and unbound methods: the hot paths below avoid IntFlag
# arithmetic and attribute look-ups on every call
_POLLIN, _POLLOUT, _DONTWAIT = int(zmq.POLLIN), int(zmq.POLLOUT), int(zmq.DONTWAIT)
_RCVTIMEO, _SNDTIMEO, _FD = int(zmq.RCVTIMEO), int(zmq.SNDTIMEO), int(zmq.FD)
_Again = zmq.Again
_get = zmq.Socket.get
_recv = zmq.Socket.recv
_recv_multipart = zmq.Socket.recv_multipart
_send = zmq.Socket.send
_send_multipart = zmq.Socket.send_multipart
_running_loop = asyncio._get_running_loop  # None outside a running loop, never raises


class _Pending:
    """An operation waiting for its socket: the future it completes and the
    non-blocking call (``op(socket, *args, **kwargs)``) that completes it."""

    __slots__ = ("future", "op", "args", "kwargs", "timer")

    def __init__(self, future, op, args, kwargs):
        self.future = future
        self.op = op
        self.args = args
        self.kwargs = kwargs
        self.timer = None


class _IOState:
    """The mutable state of a FutureSocket. Kept off the socket itself:
    zmq.Socket's __setattr__ maps names to socket options, which is too slow
    for flags flipped on every event."""

    __slots__ = ("loop", "busy", "recv_queue", "send_queue", "reader_fd", "handling",
                 "scheduled")

    def __init__(self, loop):
        # a Tornado IOLoop stands for the asyncio loop it runs on
        loop = getattr(loop, "asyncio_loop", loop)
        self.loop = loop
        self.busy = None if loop is None else _busypoll.for_loop(loop)
        self.recv_queue = collections.deque()
        self.send_queue = collections.deque()
        self.reader_fd = None
        self.handling = False
        self.scheduled = False


class FutureSocket(zmq.Socket):
    """A zmq Socket whose blocking methods return awaitables.

    ``send``, ``send_multipart``, ``recv``, ``recv_multipart`` and ``poll``
    return futures bound to the socket's event loop (the running loop when
    the socket is first used). RCVTIMEO/SNDTIMEO make a pending operation
    fail with :class:`zmq.Again` when they expire. Closing the socket
    cancels whatever is still pending.
    """

    # an attribute of this class (not a zmq option), for zmq.Socket's __setattr__
    _io: _IOState

    def __init__(self, context=None, socket_type=-1, io_loop=None, **kwargs):
        super().__init__(context, socket_type, **kwargs)
        self._io = _IOState(io_loop)

    @classmethod
    def from_socket(cls, socket, io_loop=None):
        """Wrap an existing (synchronous) socket; both share the libzmq socket."""
        return cls(shadow=socket, io_loop=io_loop)

    # -- the loop -----------------------------------------------------------

    def _get_loop(self):
        """The socket's loop, checked against the running one."""
        io = self._io
        loop = io.loop
        running = _running_loop()
        if loop is None:
            loop = running if running is not None else asyncio.get_event_loop_policy() \
                .get_event_loop()
            io.loop = loop
            io.busy = _busypoll.for_loop(loop)
        elif running is not loop and running is not None:
            raise RuntimeError(
                f"{self!r} belongs to event loop {loop!r}; it cannot be used from"
                f" {running!r}. Make one socket per loop."
            )
        return loop

    # compatibility with code that reads these (PyZMQ has similar names)
    @property
    def _loop(self):
        return self._io.loop

    @property
    def _recv_queue(self):
        return self._io.recv_queue

    @property
    def _send_queue(self):
        return self._io.send_queue

    def _future(self):
        return self._get_loop().create_future()

    def _watch(self, io):
        if io.reader_fd is None and not self.closed:
            fd = _get(self, _FD)
            io.loop.add_reader(fd, self._handle_events)
            io.reader_fd = fd

    def _unwatch(self):
        io = self._io
        if io.reader_fd is not None:
            try:
                io.loop.remove_reader(io.reader_fd)
            except Exception:
                # the loop is already closed: nothing is left to remove
                pass
            io.reader_fd = None

    # -- queued operations ----------------------------------------------------

    def _enqueue(self, loop, queue, op, args, kwargs, timeout_option):
        # raises ENOTSOCK here, synchronously, on a closed socket (as PyZMQ)
        timeout = _get(self, timeout_option)
        future = loop.create_future()
        pending = _Pending(future, op, args, kwargs)
        queue.append(pending)
        if timeout >= 0:
            pending.timer = loop.call_later(timeout / 1000, self._expire, pending)
        io = self._io
        # Callers tried the operation just before (or queued behind others,
        # which keeps the FD watched): that attempt left the FD armed for the
        # next change, and a pending signal shows at once (asyncio watches
        # the FD level-triggered). No extra look is needed.
        if io.reader_fd is None:
            self._watch(io)
        io.busy.waiting()
        return future

    def _expire(self, pending):
        if not pending.future.done():
            pending.future.set_exception(_Again())

    def _schedule_events(self, io):
        if not io.scheduled:
            io.scheduled = True
            io.loop.call_soon(self._handle_events)

    def _drain(self, queue):
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
            error = None
            try:
                result = pending.op(self, *pending.args, **pending.kwargs)
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

    def _handle_events(self):
        io = self._io
        io.scheduled = False
        if io.handling or self.closed:
            return
        io.handling = True
        try:
            # attempt again after every completed operation: the FD is
            # edge-triggered, and an operation may have consumed its signal
            progress = False
            while True:
                done = bool(io.recv_queue) and self._drain(io.recv_queue)
                if io.send_queue and self._drain(io.send_queue):
                    done = True
                if not done:
                    break
                progress = True
            if progress:
                io.busy.progress()
        except zmq.ZMQError as e:
            self._fail_pending(e)
        finally:
            io.handling = False

    def _fail_pending(self, error):
        io = self._io
        for queue in (io.recv_queue, io.send_queue):
            while queue:
                pending = queue.popleft()
                try:
                    if pending.timer is not None:
                        pending.timer.cancel()
                    if not pending.future.done():
                        if error is None:
                            pending.future.cancel()
                        else:
                            pending.future.set_exception(error)
                except RuntimeError:
                    pass  # its event loop is closed: nobody can await it now

    # -- the public methods ---------------------------------------------------

    def _done(self, loop, result):
        # completed at once; other operations may wait behind the signal the
        # call just consumed
        future = loop.create_future()
        future.set_result(result)
        io = self._io
        if io.recv_queue or io.send_queue:
            self._schedule_events(io)
        return future

    def _failed(self, loop, error):
        future = loop.create_future()
        future.set_exception(error)
        return future

    def _now(self, loop, op, args, kwargs):
        # NOBLOCK: the answer (or zmq.Again) is known at once
        try:
            result = op(self, *args, **kwargs)
        except Exception as e:
            return self._failed(loop, e)
        return self._done(loop, result)

    def _start(self, queue, op, lead, flags, rest, kwargs, timeout_option):
        """op(self, *lead, flags, *rest, **kwargs) now if it can complete at
        once and nothing is queued ahead, else queued; returns its future."""
        loop = self._get_loop()
        if flags & _DONTWAIT:
            return self._now(loop, op, lead + (flags,) + rest, kwargs)
        args = lead + (flags | _DONTWAIT,) + rest
        if not queue:
            try:
                return self._done(loop, op(self, *args, **kwargs))
            except _Again:
                pass
            except Exception as e:
                if self.closed:
                    raise
                return self._failed(loop, e)
        return self._enqueue(loop, queue, op, args, kwargs, timeout_option)

    def recv(self, flags=0, copy=True, track=False):
        """Receive one part; returns a future of bytes (or a Frame)."""
        return self._start(self._io.recv_queue, _recv, (), flags, (copy, track), {}, _RCVTIMEO)

    def recv_multipart(self, flags=0, copy=True, track=False):
        """Receive a whole multipart message; returns a future of a list."""
        return self._start(self._io.recv_queue, _recv_multipart, (), flags, (copy, track), {},
                           _RCVTIMEO)

    def send(self, data, flags=0, copy=True, track=False, **kwargs):
        """Send one part; returns a future (of a MessageTracker with track)."""
        return self._start(self._io.send_queue, _send, (data,), flags, (copy, track), kwargs,
                           _SNDTIMEO)

    def send_multipart(self, msg_parts, flags=0, copy=True, track=False, **kwargs):
        """Send a multipart message; returns a future."""
        if not isinstance(msg_parts, (list, tuple)):
            msg_parts = list(msg_parts)
        return self._start(self._io.send_queue, _send_multipart, (msg_parts,), flags,
                           (copy, track), kwargs, _SNDTIMEO)

    def send_string(self, u, flags=0, copy=True, encoding="utf-8", **kwargs):
        if not isinstance(u, str):
            raise TypeError(f"send_string() takes str, not {type(u).__name__}")
        return self.send(u.encode(encoding), flags, copy, **kwargs)

    send_unicode = send_string

    def recv_string(self, flags=0, encoding="utf-8"):
        return self._chain(self.recv(flags), lambda data: data.decode(encoding))

    recv_unicode = recv_string

    def _chain(self, future, transform):
        result = self._future()

        def done(f):
            if result.done():
                return
            if f.cancelled():
                result.cancel()
            elif f.exception() is not None:
                result.set_exception(f.exception())
            else:
                try:
                    result.set_result(transform(f.result()))
                except Exception as e:
                    result.set_exception(e)

        future.add_done_callback(done)
        # cancelling the outer future cancels the receive it waits for
        result.add_done_callback(lambda r: future.cancel() if r.cancelled() else None)
        return result

    def _deserialize(self, received, load):
        # the hook zmq-serial uses: decode when the receive completes
        return self._chain(received, load)

    def poll(self, timeout=None, flags=_POLLIN):
        """A future of the events ready within *timeout* ms (0 if none)."""
        if self.closed:
            raise zmq.ZMQError(zmq.ENOTSUP)
        poller = FuturePoller()
        poller.register(self, flags)
        return self._chain(poller.poll(timeout), lambda ready: dict(ready).get(self, 0))

    def close(self, linger=None):
        """Close the socket; pending futures are cancelled, never left hanging."""
        if not self.closed:
            self._unwatch()
            self._fail_pending(None)
        super().close(linger)

    def __del__(self):
        try:
            loop = self._io.loop
            if not self.closed and loop is not None and loop.is_closed():
                warnings.warn(f"{self!r} outlived its event loop", ResourceWarning,
                              stacklevel=2, source=self)
        except Exception:
            pass
        super().__del__()


class FuturePoller(zmq.Poller):
    """A Poller whose poll() returns a future of ``[(socket, events), ...]``."""

    def poll(self, timeout=None):
        loop = asyncio.get_event_loop()
        future = loop.create_future()
        try:
            ready = zmq.Poller.poll(self, 0)
        except Exception as e:
            future.set_exception(e)
            return future
        if ready or timeout == 0:
            future.set_result(ready)
            return future
        busy = _busypoll.for_loop(loop)
        busy.waiting()
        watched = []

        def check(*_):
            if future.done():
                return
            try:
                found = zmq.Poller.poll(self, 0)
            except Exception as e:
                future.set_exception(e)
                return
            if found:
                busy.progress()
                future.set_result(found)

        writers = []
        for obj, flags in self.sockets:
            if isinstance(obj, zmq.Socket):
                # a zmq socket's FD fires on any change, writability included
                fd = obj.getsockopt(zmq.FD)
                loop.add_reader(fd, check)
                watched.append(fd)
                continue
            fd = obj if isinstance(obj, int) else obj.fileno()
            if flags & _POLLIN:
                loop.add_reader(fd, check)
                watched.append(fd)
            if flags & _POLLOUT:
                loop.add_writer(fd, check)
                writers.append(fd)
        timer = None
        if timeout is not None and timeout > 0:
            timer = loop.call_later(timeout / 1000,
                                    lambda: future.done() or future.set_result([]))

        def cleanup(_):
            for fd in watched:
                loop.remove_reader(fd)
            for fd in writers:
                loop.remove_writer(fd)
            if timer is not None:
                timer.cancel()

        future.add_done_callback(cleanup)
        return future
