# SPDX-License-Identifier: BSD-3-Clause
"""What every codec does with the socket: keep send()'s own keyword arguments
apart from the codec's, and decode what recv() returned, at once or, for
sockets that receive through futures, when the receive completes."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import zmq

_T = TypeVar("_T")

# the types a plain (blocking) socket's recv/recv_multipart return
_RECEIVED_NOW = (bytes, list, zmq.Frame)


def split_send_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Pop the draft routing fields that belong to send(), not to the codec."""
    send_kwargs: dict[str, Any] = {}
    for key in ("routing_id", "group"):
        if key in kwargs:
            send_kwargs[key] = kwargs.pop(key)
    return send_kwargs


async def _decode_later(pending: Awaitable[Any], load: Callable[[Any], _T]) -> _T:
    return load(await pending)


def decode_received(socket: zmq.Socket, received: Any, load: Callable[[Any], _T]) -> Any:
    """``load(received)``: now for what a plain socket returns; sockets that
    receive through futures (asyncio, Tornado) may define a ``_deserialize``
    hook, as in PyZMQ; any other awaitable is decoded when it completes."""
    if type(received) in _RECEIVED_NOW:
        return load(received)
    hook = getattr(type(socket), "_deserialize", None)
    if hook is not None:
        return hook(socket, received, load)
    import inspect  # only here: a plain socket never gets this far

    if inspect.isawaitable(received):
        return _decode_later(received, load)
    return load(received)
