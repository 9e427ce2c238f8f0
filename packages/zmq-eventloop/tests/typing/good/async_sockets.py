# SPDX-License-Identifier: BSD-3-Clause
# Correct zmq.asyncio and zmq.anyio code: mypy (default and --strict) must
# accept it. What both kinds of socket share is written once, for a union
# of the two: mypy checks every call against each member.
import anyio

import zmq
import zmq.anyio
import zmq.asyncio


async def use(sock: zmq.asyncio.Socket | zmq.anyio.Socket) -> None:
    sock.rcvhwm = 10
    await sock.send(b"x")
    await sock.send_json({"a": 1})
    data: bytes = await sock.recv()
    frame: zmq.Frame = await sock.recv(copy=False)
    parts: list[bytes] = await sock.recv_multipart()
    text: str = await sock.recv_string()
    obj = await sock.recv_json()
    events: int = await sock.poll(10)
    print(data, frame, parts, text, obj, events)


async def asyncio_main() -> None:
    ctx = zmq.asyncio.Context()
    sock = ctx.socket(zmq.PAIR)
    await use(sock)
    sock.close()


async def anyio_main() -> None:
    ctx = zmq.anyio.Context()
    async with ctx.socket(zmq.PAIR) as sock:
        await use(sock)
        size: int = await sock.recv_into(bytearray(10))
        with anyio.move_on_after(1):
            async for message in sock:
                print(message)
        stream = sock.receive_stream(close_socket=False)
        print(size, await stream.receive())
    ctx.term()
