# SPDX-License-Identifier: BSD-3-Clause
"""Event loop integration (the zmq-eventloop distribution): Tornado's
ZMQStream (zmq.eventloop.zmqstream), Tornado-future sockets
(zmq.eventloop.future) and asyncio sockets (zmq.asyncio)."""

from zmq.eventloop._version import __version__

__all__ = ["__version__"]
