# SPDX-License-Identifier: BSD-3-Clause
# Correct code: mypy (default and --strict) must accept it.
import zmq


def round_trip() -> bytes:
    ctx: zmq.Context = zmq.Context.instance()
    with ctx.socket(zmq.PAIR) as a, ctx.socket(zmq.PAIR) as b:
        a.linger = 0
        b.rcvhwm = 10
        a.bind("inproc://typing")
        b.connect("inproc://typing")
        a.send(b"x", copy=False, track=False)
        a.send_multipart([b"a", memoryview(b"b")])
        data: bytes = b.recv()
        frame: zmq.Frame = b.recv(copy=False)
        parts: list[bytes] = b.recv_multipart()
        frames: list[zmq.Frame] = b.recv_multipart(0, False)
        identity: bytes = a.routing_id
        return data + frame.bytes + b"".join(parts) + frames[0].bytes + identity


def poll_both(a: zmq.Socket, b: zmq.SyncSocket) -> dict[zmq.Socket | int, int]:
    poller = zmq.Poller()
    poller.register(a, zmq.POLLIN)
    poller.register(b, zmq.POLLIN | zmq.POLLOUT)
    return dict(poller.poll(0))


def generic_annotations(ctx: zmq.Context[zmq.Socket], sock: zmq.Socket[bytes]) -> None:
    # PyZMQ's classes are generic; annotations written for it stay valid
    plain: zmq.Socket = ctx.socket(zmq.PUSH)
    plain.close()
    sock.close()
