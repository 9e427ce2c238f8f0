# SPDX-License-Identifier: BSD-3-Clause
"""msgpack messages: send_msgpack and recv_msgpack (``pip install zmq-serial[msgpack]``)."""

from types import ModuleType
from typing import Any

import zmq
from zmq.serial._transport import decode_received, split_send_kwargs
from zmq.serial.errors import MsgpackDecodeError


def _msgpack() -> ModuleType:
    try:
        import msgpack
    except ImportError:
        raise ImportError(
            "send_msgpack/recv_msgpack need msgpack: pip install zmq-serial[msgpack]"
        ) from None
    module: ModuleType = msgpack
    return module


def send_msgpack(socket: zmq.Socket, obj: Any, flags: int = 0, **kwargs: Any) -> Any:
    """Send *obj* as msgpack; *kwargs* go to ``msgpack.packb``."""
    msgpack = _msgpack()
    send_kwargs = split_send_kwargs(kwargs)
    return socket.send(msgpack.packb(obj, **kwargs), flags, **send_kwargs)


def recv_msgpack(socket: zmq.Socket, flags: int = 0, **kwargs: Any) -> Any:
    """Receive one msgpack message; *kwargs* go to ``msgpack.unpackb``."""
    msgpack = _msgpack()

    def load(data: Any) -> Any:
        try:
            return msgpack.unpackb(data, **kwargs)
        except Exception as e:
            raise MsgpackDecodeError(f"recv_msgpack: invalid msgpack: {e}") from None

    return decode_received(socket, socket.recv(flags), load)


__all__ = ["recv_msgpack", "send_msgpack"]
