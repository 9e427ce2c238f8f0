# SPDX-License-Identifier: BSD-3-Clause
"""asyncio sockets (shipped by zmq-eventloop): ``send``, ``recv``,
``send_multipart``, ``recv_multipart`` and ``poll`` return awaitables.

    ctx = zmq.asyncio.Context.instance()
    sock = ctx.socket(zmq.PULL)
    msg = await sock.recv()

A socket belongs to the event loop it is first used from. Cancelling an
awaited receive never loses a message and never delivers one twice;
RCVTIMEO/SNDTIMEO turn into zmq.Again; closing a socket cancels what is
still pending.
"""

import zmq
from zmq.eventloop._futures import FuturePoller, FutureSocket


class Socket(FutureSocket):
    """An asyncio socket; make it with :meth:`Context.socket`, or wrap a
    synchronous one with :meth:`Socket.from_socket`."""


class Context(zmq.Context):
    """A Context whose sockets are :class:`Socket` (``Context.instance()``
    is separate from the synchronous one)."""

    _socket_class = Socket


class Poller(FuturePoller):
    """A Poller whose poll() returns an awaitable."""


__all__ = ["Context", "Socket", "Poller"]
