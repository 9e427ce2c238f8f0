# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.eventloop.ioloop``'s names, from zmq-eventloop."""

try:
    from zmq.eventloop.ioloop import *  # noqa: F403
    from zmq.eventloop.ioloop import IOLoop, __all__  # noqa: F401
except ImportError as e:
    raise ImportError(
        f"zmq.green.eventloop needs zmq-eventloop: pip install zmq-eventloop ({e})"
    ) from e
