# SPDX-License-Identifier: BSD-3-Clause
# Correct asyncio code: mypy (default and --strict) must accept it.
import zmq
import zmq.asyncio


async def main() -> None:
    ctx = zmq.asyncio.Context()
    sock = ctx.socket(zmq.PAIR)
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
    sock.close()
