# SPDX-License-Identifier: BSD-3-Clause
"""Any serializer: send_serialized and recv_serialized (multipart messages)."""

from collections.abc import Callable
from typing import Any, TypeVar

import zmq
from zmq.serial._transport import decode_received

_T = TypeVar("_T")


def send_serialized(socket: zmq.Socket, msg: _T, serialize: Callable[[_T], Any], flags: int = 0,
                    copy: bool = True, **kwargs: Any) -> Any:
    """Send ``serialize(msg)``, a list of frames, as one multipart message.
    *serialize* runs first: if it fails, nothing is sent."""
    frames = serialize(msg)
    return socket.send_multipart(frames, flags, copy, **kwargs)


def recv_serialized(socket: zmq.Socket, deserialize: Callable[[Any], _T], flags: int = 0,
                    copy: bool = True) -> Any:
    """Receive a whole multipart message and return ``deserialize(frames)``."""
    return decode_received(socket, socket.recv_multipart(flags, copy), deserialize)


__all__ = ["recv_serialized", "send_serialized"]
