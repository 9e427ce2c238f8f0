# SPDX-License-Identifier: BSD-3-Clause
# Wrong: on_recv calls back with bytes unless copy=False; a plain socket's
# monitor message is no awaitable; a stream sends buffers only.
import zmq
from zmq.eventloop.zmqstream import ZMQStream
from zmq.utils.monitor import recv_monitor_message


def on_frames(msg: list[zmq.Frame]) -> None:
    print(msg)


async def main() -> None:
    sock = zmq.Context().socket(zmq.PAIR)
    stream = ZMQStream(sock)
    stream.on_recv(on_frames)  # wrong
    stream.send_multipart(["text"])  # wrong
    stream.on_recv(42)  # wrong
    await recv_monitor_message(sock)  # wrong
