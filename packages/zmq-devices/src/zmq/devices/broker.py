# SPDX-License-Identifier: BSD-3-Clause
"""The broker behind the ``zmq-broker`` command (``zmq/devices/__main__.py``),
usable from Python too.

queue: ROUTER frontend (clients) and DEALER backend (workers); forwarder:
XSUB frontend (publishers) and XPUB backend (subscribers); streamer: PULL
frontend and PUSH backend. Endpoints are bound; prefix one with ``>`` to
connect to it instead.

It runs ``zmq.proxy``, or (``steerable=True``) ``zmq.proxy_steerable``,
which answers ``statistics()`` and ``stop()`` through a control socket and
also copies its STATISTICS requests to the capture socket, as libzmq's does.
"""

import struct
from collections.abc import Iterable

import zmq
from zmq.core.osthread import OSLock

KINDS: dict[str, tuple[int, int]] = {
    "queue": (zmq.ROUTER, zmq.DEALER),
    "forwarder": (zmq.XSUB, zmq.XPUB),
    "streamer": (zmq.PULL, zmq.PUSH),
}


class BrokerError(Exception):
    """A problem worth one line to the user (bad endpoint, missing key...)."""


def attach(sock: zmq.Socket, endpoint: str) -> None:
    """Bind *sock* to *endpoint* (or connect, if it starts with ``>``), with
    a one-line error."""
    action = "bind"
    if endpoint.startswith(">"):
        action, endpoint = "connect", endpoint[1:]
    elif endpoint.startswith("@"):
        endpoint = endpoint[1:]
    try:
        if action == "bind":
            sock.bind(endpoint)
        else:
            sock.connect(endpoint)
    except zmq.ZMQError as e:
        raise BrokerError(f"cannot {action} {endpoint}: {e.strerror}") from None


class Broker:
    """The broker's sockets and lifecycle, usable from Python too."""

    def __init__(self, kind: str, frontends: Iterable[str], backends: Iterable[str],
                 capture: str | None = None, curve_secret_key: bytes | None = None,
                 linger: int = 1000, context: zmq.Context | None = None,
                 steerable: bool = True) -> None:
        self.context: zmq.Context = context or zmq.Context()
        self.kind = kind
        self.linger = linger
        # a steerable proxy answers statistics() and stop() through a control
        # socket, at some cost per burst of messages; a plain one is stopped
        # by terminating the context
        self.steerable = steerable
        self._control_endpoint = f"inproc://zmq-broker.control-{id(self):x}"
        # one peer for every command: the control PAIR takes a single peer,
        # and a new peer per command could find the last one still attached
        self._command_peer: zmq.Socket | None = None
        # shared with the thread that runs the proxy: an OS lock, whatever
        # gevent or eventlet made of threading
        self._command_lock = OSLock()
        front_type, back_type = KINDS[kind]
        self.sockets: list[zmq.Socket] = []
        self.capture: zmq.Socket | None = None
        self.control: zmq.Socket | None = None
        try:
            self.frontend = self._socket(front_type, curve_secret_key)
            self.backend = self._socket(back_type, curve_secret_key)
            for endpoint in frontends:
                attach(self.frontend, endpoint)
            for endpoint in backends:
                attach(self.backend, endpoint)
            if capture:
                self.capture = self._socket(zmq.PUB, None)
                attach(self.capture, capture)
            if steerable:
                self.control = self._socket(zmq.PAIR, None)
                self.control.bind(self._control_endpoint)
        except BaseException:
            self.close()
            raise

    def _socket(self, socket_type: int, curve_secret_key: bytes | None) -> zmq.Socket:
        sock = self.context.socket(socket_type)
        self.sockets.append(sock)
        sock.linger = self.linger
        if curve_secret_key:
            sock.curve_server = 1
            sock.curve_secretkey = curve_secret_key
        return sock

    def run(self) -> None:
        """Forward until stop() or the context ends."""
        try:
            if self.steerable:
                zmq.proxy_steerable(self.frontend, self.backend, self.capture, self.control)
            else:
                zmq.proxy(self.frontend, self.backend, self.capture)
        except zmq.ContextTerminated:
            # stop() terminated the context: this thread owns the sockets and
            # closes them, which lets the termination finish
            self.close()

    def _command(self, command: bytes, reply: bool = False) -> list[bytes] | None:
        # any thread may ask; the lock also hands the socket over between
        # threads safely (libzmq needs a memory barrier for that)
        with self._command_lock:
            if self.control is None or self.control.closed:
                raise zmq.ZMQError(zmq.ENOTSOCK, "the broker is closed")
            if self._command_peer is None:
                peer = self.context.socket(zmq.PAIR)
                peer.linger = 0
                peer.rcvtimeo = peer.sndtimeo = 2000
                peer.connect(self._control_endpoint)
                self._command_peer = peer
            self._command_peer.send(command)
            return self._command_peer.recv_multipart() if reply else None

    def statistics(self) -> dict[str, int]:
        """The proxy's counters: messages and bytes in and out on each side."""
        frames = self._command(b"STATISTICS", reply=True) or []
        values: list[int] = [struct.unpack("=Q", f)[0] for f in frames]
        names = ["frontend_msgs_in", "frontend_bytes_in", "frontend_msgs_out",
                 "frontend_bytes_out", "backend_msgs_in", "backend_bytes_in",
                 "backend_msgs_out", "backend_bytes_out"]
        return dict(zip(names, values, strict=True))

    def stop(self) -> None:
        """Make the running proxy return (from another thread); a plain
        proxy's context is terminated, sending what LINGER allows."""
        if self.steerable:
            self._command(b"TERMINATE")
        else:
            self.context.term()

    def close(self) -> None:
        with self._command_lock:
            if self._command_peer is not None:
                self._command_peer.close()
                self._command_peer = None
        for sock in self.sockets:
            if not sock.closed:
                sock.close()
        self.sockets = []
