# SPDX-License-Identifier: BSD-3-Clause
"""asyncio sockets (shipped by zmq-eventloop): ``send``, ``recv``,
``send_multipart``, ``recv_multipart``, ``recv_into``, ``recv_string`` and
``poll`` return awaitables.

    ctx = zmq.asyncio.Context.instance()
    sock = ctx.socket(zmq.PULL)
    msg = await sock.recv()

A socket belongs to the event loop it is first used from (and moves to a
new loop once that one is closed). Cancelling an awaited receive never
loses a message and never delivers one twice, decoded receives
(``recv_string``, ``recv_json``, ...) included; RCVTIMEO/SNDTIMEO turn into
zmq.Again; closing a socket cancels what is still pending, polls included.
"""

import selectors
import warnings
from asyncio import Future, SelectorEventLoop  # noqa: F401  (Future: PyZMQ's module has it)

import zmq
from zmq.eventloop._futures import FuturePoller, FutureSocket


class ProactorSelectorThreadWarning(RuntimeWarning):
    """PyZMQ's warning about the selector thread it starts for Windows'
    proactor loop. This stack runs on POSIX, where every asyncio loop can
    watch file descriptors, so it is never emitted; it exists for code that
    filters it by name."""


class Socket(FutureSocket):
    """An asyncio socket; make it with :meth:`Context.socket`, or wrap a
    synchronous one with ``Socket(sync_socket)`` or
    :meth:`Socket.from_socket` (both share the libzmq socket)."""


class Poller(FuturePoller):
    """A Poller whose poll() returns an awaitable."""

    _socket_class = Socket


Socket._poller_class = Poller


class Context(zmq.Context[Socket]):
    """A Context whose sockets are :class:`Socket`. ``Context.instance()``
    is its own singleton, separate from ``zmq.Context.instance()``."""

    _socket_class = Socket
    # a singleton of this class, not zmq.Context's
    _instance = None


def _deprecated(what: str) -> None:
    warnings.warn(
        f"{what} is deprecated (since PyZMQ 17): zmq.asyncio sockets work with any"
        f" asyncio event loop",
        DeprecationWarning,
        stacklevel=3,
    )


class ZMQEventLoop(SelectorEventLoop):
    """Deprecated: a plain selector event loop, kept for old code (any
    asyncio loop runs zmq.asyncio sockets)."""

    def __init__(self, selector: "selectors.BaseSelector | None" = None) -> None:
        _deprecated("zmq.asyncio.ZMQEventLoop")
        super().__init__(selector)


def install() -> None:
    """Deprecated: does nothing (no special event loop is needed)."""
    _deprecated("zmq.asyncio.install()")


__all__ = ["Context", "Socket", "Poller", "ZMQEventLoop", "install"]
