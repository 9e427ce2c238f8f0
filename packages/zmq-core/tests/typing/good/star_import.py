# SPDX-License-Identifier: BSD-3-Clause
# Correct code: `from zmq import *` gives a type checker every name it gives
# at run time (constants, errors, classes), as in zmq.green's own star import.
# ruff: noqa: F405
from zmq import *  # noqa: F403


def push_pull() -> bytes:
    ctx = Context.instance()
    with ctx.socket(PUSH) as push, ctx.socket(PULL) as pull:
        pull.linger = 0
        pull.bind("inproc://typing-star")
        push.connect("inproc://typing-star")
        push.send(b"x", flags=DONTWAIT)
        if not pull.poll(1000, POLLIN):
            raise Again(EAGAIN)
        try:
            return pull.recv()
        except (ZMQError, ContextTerminated, ZMQBaseError):
            return b""


socket_type: SocketType = SocketType.PAIR
option: SocketOption = SocketOption.LINGER
event: Event = Event.CONNECTED
