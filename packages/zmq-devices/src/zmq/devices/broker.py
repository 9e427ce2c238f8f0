# SPDX-License-Identifier: BSD-3-Clause
"""A broker you run without writing code: ``zmq-broker`` or ``python -m zmq.devices``.

    zmq-broker queue     --frontend tcp://*:5559 --backend tcp://*:5560
    zmq-broker forwarder --frontend tcp://*:5557 --backend tcp://*:5558 --capture ipc:///tmp/cap
    zmq-broker streamer  --frontend tcp://*:5555 --backend tcp://*:5556 --stats 5

queue: ROUTER frontend (clients) and DEALER backend (workers); forwarder:
XSUB frontend (publishers) and XPUB backend (subscribers); streamer: PULL
frontend and PUSH backend. Endpoints are bound; prefix one with ``>`` to
connect to it instead.

It runs libzmq's zmq_proxy, or with ``--stats`` zmq_proxy_steerable (which
also copies its STATISTICS requests to the capture socket), stops cleanly on
SIGINT/SIGTERM
(sockets closed, ``--linger`` honoured), prints statistics every ``--stats``
seconds (messages and bytes each way, from the proxy's own counters), and
fails with a one-line error on a bad endpoint, a port in use or a key file
it cannot read.
"""

import argparse
import os
import signal
import struct
import sys
import time

import zmq
from zmq.core.osthread import OSEvent, OSLock, OSThread

KINDS = {
    "queue": (zmq.ROUTER, zmq.DEALER),
    "forwarder": (zmq.XSUB, zmq.XPUB),
    "streamer": (zmq.PULL, zmq.PUSH),
}


class BrokerError(Exception):
    """A problem worth one line to the user (bad endpoint, missing key...)."""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="zmq-broker",
        description="Run a ZeroMQ queue (ROUTER/DEALER), forwarder (XSUB/XPUB) "
        "or streamer (PULL/PUSH) between two endpoints.",
    )
    parser.add_argument("kind", choices=sorted(KINDS), help="what the broker does")
    parser.add_argument("--frontend", "-f", action="append", required=True,
                        help="frontend endpoint (repeatable)")
    parser.add_argument("--backend", "-b", action="append", required=True,
                        help="backend endpoint (repeatable)")
    parser.add_argument("--capture", help="PUB endpoint that gets a copy of every message")
    parser.add_argument("--curve-secret-key-file", metavar="FILE",
                        help="serve CURVE on both sides with this Z85 secret key"
                        " (the file holds the 40-character key; lines starting with # and"
                        " 'secret-key = ' prefixes are accepted)")
    parser.add_argument("--stats", type=float, metavar="SECONDS",
                        help="print message and byte counts every SECONDS")
    parser.add_argument("--linger", type=int, default=1000, metavar="MS",
                        help="how long to keep sending queued messages at shutdown (ms)")
    return parser.parse_args(argv)


def read_secret_key(path):
    try:
        with open(path, encoding="ascii") as f:
            lines = [line.strip() for line in f]
    except (OSError, UnicodeDecodeError) as e:
        raise BrokerError(f"cannot read CURVE key file {path}: {e}") from None
    for line in lines:
        if not line or line.startswith("#"):
            continue
        key = line.split("=", 1)[-1].strip().strip('"')
        if len(key) == 40:
            try:
                zmq.curve_public(key.encode("ascii"))
            except (ValueError, zmq.ZMQError):
                break
            return key.encode("ascii")
    raise BrokerError(f"{path} holds no valid 40-character Z85 CURVE secret key")


def attach(sock, endpoint):
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

    def __init__(self, kind, frontends, backends, capture=None, curve_secret_key=None,
                 linger=1000, context=None, steerable=True):
        self.context = context or zmq.Context()
        self.kind = kind
        self.linger = linger
        # a steerable proxy answers statistics() and stop() through a control
        # socket, at some cost per message; a plain one runs as fast as
        # libzmq's zmq_proxy and is stopped by terminating the context
        self.steerable = steerable
        self._control_endpoint = f"inproc://zmq-broker.control-{id(self):x}"
        # one peer for every command: the control PAIR takes a single peer,
        # and a new peer per command could find the last one still attached
        self._command_peer = None
        # shared with the thread that runs the proxy: an OS lock, whatever
        # gevent or eventlet made of threading
        self._command_lock = OSLock()
        front_type, back_type = KINDS[kind]
        self.sockets = []
        try:
            self.frontend = self._socket(front_type, curve_secret_key)
            self.backend = self._socket(back_type, curve_secret_key)
            for endpoint in frontends:
                attach(self.frontend, endpoint)
            for endpoint in backends:
                attach(self.backend, endpoint)
            self.capture = None
            if capture:
                self.capture = self._socket(zmq.PUB, None)
                attach(self.capture, capture)
            self.control = None
            if steerable:
                self.control = self._socket(zmq.PAIR, None)
                self.control.bind(self._control_endpoint)
        except BaseException:
            self.close()
            raise

    def _socket(self, socket_type, curve_secret_key):
        sock = self.context.socket(socket_type)
        self.sockets.append(sock)
        sock.linger = self.linger
        if curve_secret_key:
            sock.curve_server = 1
            sock.curve_secretkey = curve_secret_key
        return sock

    def run(self):
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

    def _command(self, command, reply=False):
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

    def statistics(self):
        """The proxy's counters: messages and bytes in and out on each side."""
        frames = self._command(b"STATISTICS", reply=True)
        values = [struct.unpack("=Q", f)[0] for f in frames]
        names = ["frontend_msgs_in", "frontend_bytes_in", "frontend_msgs_out",
                 "frontend_bytes_out", "backend_msgs_in", "backend_bytes_in",
                 "backend_msgs_out", "backend_bytes_out"]
        return dict(zip(names, values, strict=True))

    def stop(self):
        """Make the running proxy return (from another thread); a plain
        proxy's context is terminated, sending what LINGER allows."""
        if self.steerable:
            self._command(b"TERMINATE")
        else:
            self.context.term()

    def close(self):
        with self._command_lock:
            if self._command_peer is not None:
                self._command_peer.close()
                self._command_peer = None
        for sock in self.sockets:
            if not sock.closed:
                sock.close()
        self.sockets = []


def _print_stats(broker, interval, stopped):
    while not stopped.wait(interval):
        try:
            s = broker.statistics()
        except zmq.ZMQError:
            return
        print(
            f"[zmq-broker] {time.strftime('%H:%M:%S')}"
            f" frontend→backend {s['frontend_msgs_in']} msgs {s['frontend_bytes_in']} B,"
            f" backend→frontend {s['backend_msgs_in']} msgs {s['backend_bytes_in']} B",
            flush=True,
        )


def main(argv=None):
    args = parse_args(argv)
    try:
        key = read_secret_key(args.curve_secret_key_file) if args.curve_secret_key_file else None
        if key and not zmq.has("curve"):
            raise BrokerError("this libzmq has no CURVE support")
        broker = Broker(args.kind, args.frontend, args.backend, args.capture, key, args.linger,
                        steerable=bool(args.stats))
    except BrokerError as e:
        print(f"zmq-broker: error: {e}", file=sys.stderr)
        return 2
    # signals only interrupt the main thread: the proxy runs in a thread of
    # its own and the main thread waits, so SIGINT/SIGTERM always get through
    stopped = OSEvent()
    # a daemon: should the proxy ever fail to stop, the process still exits
    runner = OSThread(target=broker.run, name="zmq-broker-proxy", daemon=True)

    def on_signal(signum, frame):
        stopped.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    endpoints = ", ".join(args.frontend) + " <-> " + ", ".join(args.backend)
    print(f"[zmq-broker] {args.kind} running (pid {os.getpid()}): {endpoints}", flush=True)
    runner.start()
    printer = None
    if args.stats:
        printer = OSThread(target=_print_stats, args=(broker, args.stats, stopped), daemon=True)
        printer.start()
    while not stopped.wait(0.2):
        if not runner.is_alive():
            break
    stopped.set()
    if printer is not None:
        printer.join(5)
    if args.stats and runner.is_alive():
        try:
            print(f"[zmq-broker] final: {broker.statistics()}", flush=True)
        except zmq.ZMQError as e:
            print(f"[zmq-broker] final statistics unavailable: {e.strerror}", flush=True)
    try:
        broker.stop()
    except zmq.ZMQError as e:
        print(f"[zmq-broker] could not stop the proxy: {e.strerror}", file=sys.stderr)
    runner.join(5)
    if runner.is_alive():
        # its sockets are still in use: closing them here would break the
        # proxy mid-call, and terminating the context would wait forever
        print("[zmq-broker] the proxy did not stop; exiting anyway", file=sys.stderr)
        return 1
    broker.close()
    broker.context.term()  # honours --linger for messages still queued
    print("[zmq-broker] stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
