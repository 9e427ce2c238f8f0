# SPDX-License-Identifier: BSD-3-Clause
"""Sockets returning Tornado futures (which, in Tornado 6, are asyncio
futures): ``zmq.eventloop.future.Context().socket(...)`` inside a Tornado
coroutine or IOLoop."""

import zmq
from zmq.eventloop._futures import FuturePoller, FutureSocket


class Socket(FutureSocket):
    """A socket whose send/recv/poll return Tornado (asyncio) futures."""


class Context(zmq.Context):
    """A Context making :class:`Socket` sockets."""

    _socket_class = Socket


class Poller(FuturePoller):
    """A Poller whose poll() returns a Tornado (asyncio) future."""


__all__ = ["Context", "Socket", "Poller"]
