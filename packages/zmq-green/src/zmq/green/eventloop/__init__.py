# SPDX-License-Identifier: BSD-3-Clause
"""PyZMQ's ``zmq.green.eventloop``: Tornado's IOLoop and ZMQStream over green
sockets. Needs zmq-eventloop (``pip install zmq-green[eventloop]``)."""

from zmq.green.eventloop.ioloop import IOLoop

__all__ = ["IOLoop"]
