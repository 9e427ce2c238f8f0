# SPDX-License-Identifier: BSD-3-Clause
# Wrong: a receive without await, and an int sent.
import zmq
import zmq.asyncio


async def main() -> None:
    sock = zmq.asyncio.Context().socket(zmq.PAIR)
    data: bytes = sock.recv()  # wrong
    await sock.send(123)  # wrong
    print(data)
