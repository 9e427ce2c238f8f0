# SPDX-License-Identifier: BSD-3-Clause
"""PyZMQ's IOLoop names, on Tornado 6 (whose IOLoop runs on asyncio).

Deprecated, as in PyZMQ (importing it warns): use Tornado's IOLoop itself.
``IOLoop`` and the rest of ``tornado.ioloop``'s public names are here;
``ZMQIOLoop`` is ``IOLoop`` and ``install()`` does nothing any more.
"""

import warnings

# every public name of tornado.ioloop, as PyZMQ's module has them
from zmq.eventloop._tornado import require

require("zmq.eventloop.ioloop")

from tornado.ioloop import *  # noqa: E402, F403
from tornado.ioloop import IOLoop, PeriodicCallback, TimeoutError  # noqa: E402, F401


def _deprecated() -> None:
    warnings.warn(
        "zmq.eventloop.ioloop is deprecated (since PyZMQ 17): zmq sockets work with"
        " Tornado's own IOLoop and with asyncio",
        DeprecationWarning,
        stacklevel=3,
    )


_deprecated()

ZMQIOLoop = IOLoop


def install() -> None:
    """Deprecated: Tornado's IOLoop needs no installing."""
    _deprecated()


__all__ = ["IOLoop", "ZMQIOLoop", "PeriodicCallback", "TimeoutError", "install"]
