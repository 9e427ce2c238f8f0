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

_POLLIN, _POLLOUT = zmq.POLLIN, zmq.POLLOUT


class _Pending:
    __slots__ = ("future", "kind", "args", "timer")

    def __init__(self, future, kind, args):
        self.future = future
        self.kind = kind
        self.args = args
        self.timer = None


class FutureSocket(zmq.Socket):
    """A zmq Socket whose blocking methods return awaitables.

    ``send``, ``send_multipart``, ``recv``, ``recv_multipart`` and ``poll``
    return futures bound to the socket's event loop (the running loop when
    the socket is first used). RCVTIMEO/SNDTIMEO make a pending operation
    fail with :class:`zmq.Again` when they expire. Closing the socket
    cancels whatever is still pending.
    """

    # attributes of this class (not zmq options), for zmq.Socket's __setattr__
    _loop: object = None
    _recv_queue: object = None
    _send_queue: object = None
    _reader_fd: object = None
    _handling: bool = False
    _scheduled: bool = False

    def __init__(self, context=None, socket_type=-1, io_loop=None, **kwargs):
        super().__init__(context, socket_type, **kwargs)
        self._loop = io_loop
        self._recv_queue = collections.deque()
        self._send_queue = collections.deque()

    @classmethod
    def from_socket(cls, socket, io_loop=None):
        """Wrap an existing (synchronous) socket; both share the libzmq socket."""
        return cls(shadow=socket, io_loop=io_loop)

    # -- the loop -----------------------------------------------------------

    def _get_loop(self):
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if self._loop is None:
            self._loop = running if running is not None else asyncio.get_event_loop_policy() \
                .get_event_loop()
        elif running is not None and running is not self._loop:
            raise RuntimeError(
                f"{self!r} belongs to event loop {self._loop!r}; it cannot be used from"
                f" {running!r}. Make one socket per loop."
            )
        return self._loop

    def _future(self):
        return self._get_loop().create_future()

    def _watch(self):
        if self._reader_fd is None and not self.closed:
            fd = zmq.Socket.get(self, zmq.FD)
            self._get_loop().add_reader(fd, self._handle_events)
            self._reader_fd = fd

    def _unwatch(self):
        if self._reader_fd is not None:
            try:
                self._loop.remove_reader(self._reader_fd)
            except Exception:
                # the loop is already closed: nothing is left to remove
                pass
            self._reader_fd = None

    # -- queued operations ----------------------------------------------------

    def _queue(self, queue, kind, args, timeout_option):
        future = self._future()
        pending = _Pending(future, kind, args)
        queue.append(pending)
        timeout = zmq.Socket.get(self, timeout_option)
        if timeout >= 0:
            pending.timer = self._loop.call_later(timeout / 1000, self._expire, pending)
        # Callers tried the operation just before (or queued behind others,
        # which keeps the FD watched): that attempt left the FD armed for the
        # next change, and a pending signal shows at once (asyncio watches
        # the FD level-triggered). No extra look is needed.
        self._watch()
        return future

    def _expire(self, pending):
        if not pending.future.done():
            pending.future.set_exception(zmq.Again())

    def _schedule_events(self):
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._handle_events)

    def _perform(self, pending):
        """Do one queued operation without blocking; False if not ready."""
        kind, args = pending.kind, pending.args
        flags = args[1] | zmq.DONTWAIT
        try:
            if kind == "recv":
                result = zmq.Socket.recv(self, flags, args[2], args[3])
            elif kind == "recv_multipart":
                result = zmq.Socket.recv_multipart(self, flags, args[2], args[3])
            elif kind == "send":
                result = zmq.Socket.send(self, args[0], flags, args[2], args[3], **args[4])
            else:
                result = zmq.Socket.send_multipart(self, args[0], flags, args[2], args[3],
                                                   **args[4])
        except zmq.Again:
            return False
        except Exception as e:
            if pending.timer is not None:
                pending.timer.cancel()
            pending.future.set_exception(e)
            return True
        if pending.timer is not None:
            pending.timer.cancel()
        pending.future.set_result(result)
        return True

    def _drain(self, queue, event):
        # Trying the operation is as good as asking ZMQ_EVENTS first: a
        # non-blocking call that finds nothing to do processes libzmq's
        # pending commands just the same, so the FD fires again on the next
        # change. It saves one system call per message.
        progress = False
        while queue:
            pending = queue[0]
            if pending.future.done():  # cancelled or timed out: skip it
                queue.popleft()
                continue
            if not self._perform(pending):
                break
            queue.popleft()
            progress = True
        return progress

    def _handle_events(self):
        self._scheduled = False
        if self._handling or self.closed:
            return
        self._handling = True
        try:
            # re-read EVENTS after every operation: the FD is edge-triggered
            while self._drain(self._recv_queue, _POLLIN) | self._drain(self._send_queue, _POLLOUT):
                pass
        except zmq.ZMQError as e:
            self._fail_pending(e)
        finally:
            self._handling = False

    def _fail_pending(self, error):
        for queue in (self._recv_queue, self._send_queue):
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

    def _try_now(self, queue, kind, args):
        """Do it at once when nothing is queued ahead, else None."""
        if queue or self.closed:
            return None
        pending = _Pending(self._future(), kind, args)
        if self._perform(pending):
            if self._recv_queue or self._send_queue:
                # this operation may have consumed the FD's edge
                self._schedule_events()
            return pending.future
        return None

    def recv(self, flags=0, copy=True, track=False):
        """Receive one part; returns a future of bytes (or a Frame)."""
        args = (None, flags, copy, track)
        if flags & zmq.DONTWAIT:
            return self._now(zmq.Socket.recv, flags, copy, track)
        return self._try_now(self._recv_queue, "recv", args) or \
            self._queue(self._recv_queue, "recv", args, zmq.RCVTIMEO)

    def recv_multipart(self, flags=0, copy=True, track=False):
        """Receive a whole multipart message; returns a future of a list."""
        args = (None, flags, copy, track)
        if flags & zmq.DONTWAIT:
            return self._now(zmq.Socket.recv_multipart, flags, copy, track)
        return self._try_now(self._recv_queue, "recv_multipart", args) or \
            self._queue(self._recv_queue, "recv_multipart", args, zmq.RCVTIMEO)

    def send(self, data, flags=0, copy=True, track=False, **kwargs):
        """Send one part; returns a future (of a MessageTracker with track)."""
        args = (data, flags, copy, track, kwargs)
        if flags & zmq.DONTWAIT:
            return self._now(zmq.Socket.send, data, flags, copy, track, **kwargs)
        return self._try_now(self._send_queue, "send", args) or \
            self._queue(self._send_queue, "send", args, zmq.SNDTIMEO)

    def send_multipart(self, msg_parts, flags=0, copy=True, track=False, **kwargs):
        """Send a multipart message; returns a future."""
        if not isinstance(msg_parts, (list, tuple)):
            msg_parts = list(msg_parts)
        args = (msg_parts, flags, copy, track, kwargs)
        if flags & zmq.DONTWAIT:
            return self._now(zmq.Socket.send_multipart, msg_parts, flags, copy, track, **kwargs)
        return self._try_now(self._send_queue, "send_multipart", args) or \
            self._queue(self._send_queue, "send_multipart", args, zmq.SNDTIMEO)

    def _now(self, method, *args, **kwargs):
        # NOBLOCK: the answer (or zmq.Again) is known at once
        future = self._future()
        try:
            future.set_result(method(self, *args, **kwargs))
        except Exception as e:
            future.set_exception(e)
        if self._recv_queue or self._send_queue:
            self._schedule_events()
        return future

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
            if not self.closed and self._loop is not None and self._loop.is_closed():
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
