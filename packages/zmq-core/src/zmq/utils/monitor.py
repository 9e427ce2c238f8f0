# SPDX-License-Identifier: BSD-3-Clause
"""Reading the events of ``socket.monitor()`` / ``get_monitor_socket()``.

libzmq 4.3 publishes each event as two frames: 6 bytes (a 16-bit event id
and a 32-bit value, native byte order, no padding), then the endpoint.
"""

import inspect
import struct
from collections.abc import Awaitable, Sequence
from typing import Any, Protocol, overload

from zmq.core.constants import Event
from zmq.core.socket import Socket

try:
    # PyZMQ's zmq.utils.monitor imports zmq.asyncio, so programs written
    # for PyZMQ use zmq.asyncio (in annotations, say) after importing only
    # this module; it comes with zmq-eventloop, when that is installed
    import zmq.asyncio  # noqa: F401
except ImportError:
    pass

_EVENT_FRAME = struct.Struct("=Hi")


class _AwaitableReceiver(Protocol):
    # an async socket (zmq.asyncio's, zmq.eventloop.future's)
    def recv_multipart(self, flags: int = ...) -> Awaitable[list[bytes]]: ...


def parse_monitor_message(msg: Sequence[Any]) -> dict[str, Any]:
    """Decode one monitor event message (a list of two frames) into
    ``{"event": zmq.Event, "value": int, "endpoint": bytes}``."""
    if len(msg) != 2:
        raise RuntimeError(f"a monitor event has 2 frames, got {len(msg)}: {msg!r}")
    head, endpoint = (bytes(part) for part in msg)
    if len(head) != _EVENT_FRAME.size:
        raise RuntimeError(
            f"a monitor event starts with {_EVENT_FRAME.size} bytes, got {len(head)}: {head!r}"
        )
    event_id, value = _EVENT_FRAME.unpack(head)
    return {"event": Event(event_id), "value": Event(value), "endpoint": endpoint}


async def _parse_when_received(pending: Awaitable[list[bytes]]) -> dict[str, Any]:
    return parse_monitor_message(await pending)


@overload
def recv_monitor_message(socket: _AwaitableReceiver,
                         flags: int = 0) -> Awaitable[dict[str, Any]]: ...
@overload
def recv_monitor_message(socket: Socket, flags: int = 0) -> dict[str, Any]: ...
def recv_monitor_message(socket: Any, flags: int = 0) -> Any:
    """Receive and decode the next event from a monitor socket. With an
    asyncio socket, returns an awaitable of the decoded event."""
    msg = socket.recv_multipart(flags)
    if inspect.isawaitable(msg):
        return _parse_when_received(msg)
    return parse_monitor_message(msg)


__all__ = ["parse_monitor_message", "recv_monitor_message"]
