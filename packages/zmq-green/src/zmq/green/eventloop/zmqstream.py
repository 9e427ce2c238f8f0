# SPDX-License-Identifier: BSD-3-Clause
"""ZMQStream for green sockets, on the current IOLoop by default."""

import zmq
from zmq.green.eventloop.ioloop import IOLoop

try:
    from zmq.eventloop import zmqstream as _zmqstream
except ImportError as e:
    raise ImportError(
        f"zmq.green.eventloop needs zmq-eventloop: pip install zmq-eventloop ({e})"
    ) from e


class ZMQStream(_zmqstream.ZMQStream):
    """:class:`zmq.eventloop.zmqstream.ZMQStream`, taking the current IOLoop
    when none is given."""

    def __init__(self, socket: zmq.Socket, io_loop: IOLoop | None = None) -> None:
        super().__init__(socket, io_loop=io_loop or IOLoop.current())


__all__ = ["ZMQStream"]
