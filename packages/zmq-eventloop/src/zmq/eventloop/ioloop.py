# SPDX-License-Identifier: BSD-3-Clause
"""PyZMQ's IOLoop names, on Tornado 6 (whose IOLoop runs on asyncio).

``zmq.eventloop.ioloop.IOLoop`` is Tornado's IOLoop; ``ZMQIOLoop`` and
``install()`` remain for old code and do nothing special any more.
"""

import warnings

from tornado.ioloop import IOLoop, PeriodicCallback  # noqa: F401

ZMQIOLoop = IOLoop


def install():
    """Kept for old code: Tornado's IOLoop needs no installing."""
    warnings.warn(
        "zmq.eventloop.ioloop.install() is not needed with Tornado 6", DeprecationWarning,
        stacklevel=2,
    )


__all__ = ["IOLoop", "ZMQIOLoop", "PeriodicCallback", "install"]
