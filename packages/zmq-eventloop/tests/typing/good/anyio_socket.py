# SPDX-License-Identifier: BSD-3-Clause
# Correct zmq.anyio code: mypy (default and --strict) must accept it.
import anyio

import zmq
import zmq.anyio


async def main() -> None:
    ctx = zmq.anyio.Context()
    async with ctx.socket(zmq.PAIR) as sock:
        sock.rcvhwm = 10
        await sock.send(b"x")
        await sock.send_json({"a": 1})
        data: bytes = await sock.recv()
        frame: zmq.Frame = await sock.recv(copy=False)
        parts: list[bytes] = await sock.recv_multipart()
        text: str = await sock.recv_string()
        obj = await sock.recv_json()
        size: int = await sock.recv_into(bytearray(10))
        events: int = await sock.poll(10)
        with anyio.move_on_after(1):
            async for message in sock:
                print(message)
        stream = sock.receive_stream(close_socket=False)
        print(data, frame, parts, text, obj, size, events, await stream.receive())
    ctx.term()
