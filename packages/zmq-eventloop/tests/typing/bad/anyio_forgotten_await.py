# SPDX-License-Identifier: BSD-3-Clause
# Wrong: a zmq.anyio receive without await, and an int sent.
import zmq
import zmq.anyio


async def main() -> None:
    sock = zmq.anyio.Context().socket(zmq.PAIR)
    data: bytes = sock.recv()  # wrong
    await sock.send(123)  # wrong
    print(data)
