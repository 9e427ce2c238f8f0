# SPDX-License-Identifier: BSD-3-Clause
"""Serving an Authenticator's ROUTER ZAP socket from an asyncio loop.

Every request is answered in its own task, so a slow credentials check
delays only its own client. The socket is watched through its file
descriptor, which libzmq signals edge-style: after any operation on the
socket, ZMQ_EVENTS must be read again before waiting for the next signal.
Plain asyncio and zmq-core only: no zmq.asyncio needed.
"""

import asyncio
from collections.abc import Callable
from typing import Any

import zmq
from zmq.auth.base import Authenticator, _current_request, _Request
from zmq.utils.monitor import parse_monitor_message


class ZapDispatcher:
    """Reads ZAP requests from *socket* on *loop* and has *authenticator*
    answer each one. *on_terminated* is called (on the loop) when the
    context is terminated under the socket."""

    def __init__(
        self,
        authenticator: Authenticator,
        socket: zmq.Socket,
        loop: asyncio.AbstractEventLoop,
        on_terminated: Callable[[], Any],
    ) -> None:
        self.authenticator = authenticator
        self.socket = socket
        self.loop = loop
        self.on_terminated = on_terminated
        self.tasks: set[asyncio.Task[Any]] = set()
        self.fd = socket.getsockopt(zmq.FD)
        self.closed = False
        # monitor sockets of watched server sockets: {fd: socket}
        self.monitors: dict[int, zmq.Socket] = {}

    def start(self) -> None:
        self.loop.add_reader(self.fd, self.drain)
        # requests may have queued before the reader was added
        self.loop.call_soon(self.drain)

    def close(self) -> None:
        """Stop reading and cancel the requests being answered (call on the
        loop's thread, or after the loop stopped)."""
        if self.closed:
            return
        self.closed = True
        self.loop.remove_reader(self.fd)
        for task in list(self.tasks):
            task.cancel()
        for fd, monitor in self.monitors.items():
            self.loop.remove_reader(fd)
            monitor.close(linger=0)
        self.monitors.clear()

    def add_monitor(self, monitor: zmq.Socket) -> None:
        """Log the refused handshakes a watched socket's monitor reports."""
        if self.closed:
            monitor.close(linger=0)
            return
        fd = monitor.getsockopt(zmq.FD)
        self.monitors[fd] = monitor
        self.loop.add_reader(fd, self.drain_monitor, monitor)
        self.loop.call_soon(self.drain_monitor, monitor)

    def drain_monitor(self, monitor: zmq.Socket) -> None:
        if self.closed or monitor.closed:
            return
        try:
            while monitor.getsockopt(zmq.EVENTS) & zmq.POLLIN:
                event = parse_monitor_message(monitor.recv_multipart(zmq.NOBLOCK))
                self.authenticator._log_refused_handshake(event)
        except zmq.Again:
            pass
        except zmq.ZMQError as e:
            if e.errno not in (zmq.ETERM, zmq.ENOTSOCK):
                raise

    def drain(self) -> None:
        """Start answering every request queued on the socket."""
        if self.closed:
            return
        sock = self.socket
        try:
            while sock.getsockopt(zmq.EVENTS) & zmq.POLLIN:
                self._dispatch(sock.recv_multipart(zmq.NOBLOCK))
        except zmq.Again:
            pass
        except zmq.ZMQError as e:
            if e.errno in (zmq.ETERM, zmq.ENOTSOCK):
                self.close()
                self.on_terminated()
            else:
                raise

    def _dispatch(self, frames: list[bytes]) -> None:
        # a ROUTER prefixes the requester's envelope: routing id, empty delimiter
        try:
            split = frames.index(b"") + 1
        except ValueError:
            self.authenticator.log.error("ZAP request without an envelope delimiter: dropped")
            return
        task = self.loop.create_task(self._answer(frames[:split], frames[split:]))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _answer(self, envelope: list[bytes], request: list[bytes]) -> None:
        state = _Request(envelope)
        # set inside the task: each task has its own copy of the context
        _current_request.set(state)
        auth = self.authenticator
        try:
            await auth.handle_zap_message(request)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            if isinstance(e, zmq.ZMQError) and e.errno in (zmq.ETERM, zmq.ENOTSOCK):
                self.close()
                self.on_terminated()
                return
            auth.log.exception("ZAP handler failed")
            if not state.replied and len(request) >= 2 and not self.closed:
                # without a reply libzmq would leave the handshake hanging
                auth._send_zap_reply(request[1], b"500", b"Internal error")
        if not self.closed:
            # sending consumed the descriptor's edge: look again
            self.drain()
