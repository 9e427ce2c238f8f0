# SPDX-License-Identifier: BSD-3-Clause
"""Event loop integration (the zmq-eventloop distribution): Tornado's
ZMQStream (zmq.eventloop.zmqstream), Tornado-future sockets
(zmq.eventloop.future) and asyncio sockets (zmq.asyncio).

``zmq.eventloop.IOLoop`` is Tornado's IOLoop, imported on first use so that
``import zmq.asyncio`` does not import Tornado.
"""

from typing import Any

from zmq.eventloop._version import __version__


def __getattr__(name: str) -> Any:
    if name == "IOLoop":
        from zmq.eventloop._tornado import require

        require("zmq.eventloop.IOLoop")
        from tornado.ioloop import IOLoop

        return IOLoop
    raise AttributeError(f"module 'zmq.eventloop' has no attribute {name!r}")


__all__ = ["IOLoop", "__version__"]
