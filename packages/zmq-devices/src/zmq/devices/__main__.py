# SPDX-License-Identifier: BSD-3-Clause
"""A broker you run without writing code: ``python -m zmq.devices`` (or ``zmq-broker``).

    zmq-broker queue     --frontend tcp://*:5559 --backend tcp://*:5560
    zmq-broker forwarder --frontend tcp://*:5557 --backend tcp://*:5558 --capture ipc:///tmp/cap
    zmq-broker streamer  --frontend tcp://*:5555 --backend tcp://*:5556 --stats 5

The sockets and the proxy are :class:`zmq.devices.broker.Broker`'s. The
command runs ``zmq.proxy``, or with ``--stats`` ``zmq.proxy_steerable``,
stops cleanly on SIGINT/SIGTERM (sockets closed, ``--linger`` honoured),
prints statistics every ``--stats`` seconds (messages and bytes each way,
from the proxy's own counters), and fails with a one-line error and exit
status 2 on a bad endpoint, a port in use or a key file it cannot read.
"""

import argparse
import os
import signal
import sys
import time
from collections.abc import Sequence
from types import FrameType

import zmq
from zmq.core.osthread import OSEvent, OSThread
from zmq.devices.broker import KINDS, Broker, BrokerError


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
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


def read_secret_key(path: str) -> bytes:
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


def _print_stats(broker: Broker, interval: float, stopped: OSEvent) -> None:
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


def main(argv: Sequence[str] | None = None) -> int:
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

    def on_signal(signum: int, frame: FrameType | None) -> None:
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
