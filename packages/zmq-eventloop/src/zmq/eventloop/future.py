# SPDX-License-Identifier: BSD-3-Clause
"""Sockets returning Tornado futures (which, in Tornado 6, are asyncio
futures): ``zmq.eventloop.future.Context().socket(...)`` inside a Tornado
coroutine or IOLoop.

A socket used from a Tornado IOLoop is registered with it, so
``IOLoop.close(all_fds=True)`` closes it (as in PyZMQ). Awaiting a cancelled
future raises :class:`CancelledError`.
"""

import asyncio
import warnings
from typing import Any

from zmq.eventloop._tornado import require

require("zmq.eventloop.future")

from tornado.concurrent import Future  # noqa: E402, F401  (PyZMQ's module has it)
from tornado.ioloop import IOLoop  # noqa: E402, F401

import zmq  # noqa: E402
from zmq.eventloop._futures import FuturePoller, FutureSocket  # noqa: E402

# Tornado 6's futures are asyncio's, whose cancellation raises
# asyncio.CancelledError: PyZMQ's name for it, so ``except CancelledError``
# catches what a cancelled receive raises
CancelledError = asyncio.CancelledError


class Socket(FutureSocket):
    """A socket whose send/recv/poll return Tornado (asyncio) futures."""

    _tornado_handler = True


class Poller(FuturePoller):
    """A Poller whose poll() returns a Tornado (asyncio) future."""

    _socket_class = Socket


Socket._poller_class = Poller


class Context(zmq.Context[Socket]):
    """A Context making :class:`Socket` sockets; ``Context.instance()`` is
    its own singleton."""

    _socket_class = Socket
    _instance = None

    def __init__(self, *args: Any, io_loop: Any = None, **kwargs: Any) -> None:
        if io_loop is not None:
            warnings.warn(
                f"{type(self).__name__}(io_loop=...) is deprecated (since PyZMQ 22.2) and"
                f" ignored: sockets use the loop they are first used from",
                DeprecationWarning,
                stacklevel=2,
            )
        super().__init__(*args, **kwargs)


__all__ = ["CancelledError", "Context", "Socket", "Poller"]
