# SPDX-License-Identifier: BSD-3-Clause
# Correct code written for PyZMQ's types (as PyZMQ's examples and
# mypy_tests use them): mypy (default and --strict) must accept it. Each
# call here failed --strict before zmq-core annotated it.
from typing import Any

import zmq
from zmq.utils.monitor import parse_monitor_message, recv_monitor_message


def versions() -> str:
    info: tuple[int, ...] = zmq.pyzmq_version_info()
    return zmq.zmq_version() + zmq.pyzmq_version() + str(info)


def build_folders() -> list[str]:
    return zmq.get_includes() + zmq.get_library_dirs()


def shadowed(pyczmq_ctx: object) -> zmq.SyncContext:
    # mypy_tests/test_context.py's call: a Context over a pyczmq context
    return zmq.Context.shadow_pyczmq(pyczmq_ctx)


def monitor_events(sock: zmq.Socket) -> str:
    mon = sock.get_monitor_socket()
    event: dict[str, Any] = recv_monitor_message(mon)
    again = parse_monitor_message(mon.recv_multipart())
    return f"{event['event']} {again['endpoint']!r}"


def send_returns_none_by_default(sock: zmq.Socket) -> None:
    # copy=True (the default) gives None: returning it from a None function
    return sock.send(b"x")


def tracked(sock: zmq.Socket, frame: zmq.Frame) -> zmq.MessageTracker:
    tracker: zmq.MessageTracker = sock.send(b"x", copy=False, track=True)
    tracker = sock.send(b"x", 0, False, True)
    maybe: zmq.MessageTracker | None = sock.send(frame)
    return maybe or tracker


class ArraySocket(zmq.Socket):
    # PyZMQ's serialisation example: send_array/recv_array of its own
    def send_array(self, A: Any, flags: int = 0, copy: bool = True,
                   track: bool = False) -> Any:
        self.send_json({"dtype": str(A.dtype), "shape": A.shape}, flags | zmq.SNDMORE)
        return self.send(A, flags, copy=copy, track=track)

    def recv_array(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any:
        return self.recv(flags=flags, copy=copy, track=track)
