# SPDX-License-Identifier: BSD-3-Clause
# Correct code written for PyZMQ's types (as PyZMQ's examples and
# mypy_tests use them): mypy (default and --strict) must accept it. Each
# call here failed --strict before zmq-eventloop annotated it.
from typing import Any

import numpy as np
from tornado.ioloop import IOLoop

import zmq
import zmq.asyncio
from zmq.eventloop import future
from zmq.eventloop.zmqstream import ZMQStream
from zmq.utils.monitor import recv_monitor_message


async def async_sockets(sync_sock: zmq.Socket[bytes], monitor: zmq.asyncio.Socket,
                        copy: bool) -> None:
    wrapped: zmq.asyncio.Socket = zmq.asyncio.Socket(sync_sock)
    wrapped = zmq.asyncio.Socket.from_socket(sync_sock)
    tornado_sock: future.Socket = future.Context().socket(zmq.PAIR)
    events: int = wrapped.get(zmq.EVENTS)
    poller = zmq.asyncio.Poller()
    poller.register(wrapped, zmq.POLLIN)
    ready: list[tuple[Any, int]] = await poller.poll(10)
    # copy known only at run time: bytes or a Frame
    got: bytes | zmq.Frame = await wrapped.recv(copy=copy)
    parts: list[bytes] | list[zmq.Frame] = await wrapped.recv_multipart(0, copy)
    await wrapped.send(np.arange(4), copy=False)
    await wrapped.send_multipart([b"head", np.float32(1.5)])
    n: int = await wrapped.recv_into(np.zeros(4))
    event: dict[str, Any] = await recv_monitor_message(monitor)
    print(events, ready, got, parts, n, event, tornado_sock)


def on_bytes(msg: list[bytes]) -> None:
    print(msg)


def on_frames(msg: list[zmq.Frame]) -> None:
    print(msg)


def on_stream(stream: ZMQStream, msg: list[bytes]) -> None:
    stream.send_multipart(msg)


def on_sent(msg: Any, status: zmq.MessageTracker | None) -> None:
    print(msg, status)


def streams(sock: zmq.Socket, copy: bool) -> int:
    stream = ZMQStream(sock, IOLoop.current())
    stream.on_recv(on_bytes)
    stream.on_recv(on_frames, copy=False)
    stream.on_recv(on_bytes, copy=copy)
    stream.on_recv_stream(on_stream)
    stream.on_recv(None)
    stream.on_send(on_sent)
    stream.send(b"x")
    stream.send_multipart([b"a", np.arange(3)], callback=on_sent)
    stream.send_string("text")
    handled: int = stream.flush()
    busy: bool = stream.receiving() or stream.sending() or stream.closed()
    stream.close()
    return handled + busy
