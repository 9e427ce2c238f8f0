# SPDX-License-Identifier: BSD-3-Clause
"""Reading the events of ``socket.monitor()`` / ``get_monitor_socket()``.

libzmq 4.3 publishes each event as two frames: 6 bytes (a 16-bit event id
and a 32-bit value, native byte order, no padding), then the endpoint.
"""

import inspect
import struct

from zmq.core.constants import Event

_EVENT_FRAME = struct.Struct("=Hi")


def parse_monitor_message(msg):
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


async def _parse_when_received(pending):
    return parse_monitor_message(await pending)


def recv_monitor_message(socket, flags=0):
    """Receive and decode the next event from a monitor socket. With an
    asyncio socket, returns an awaitable of the decoded event."""
    msg = socket.recv_multipart(flags)
    if inspect.isawaitable(msg):
        return _parse_when_received(msg)
    return parse_monitor_message(msg)


__all__ = ["parse_monitor_message", "recv_monitor_message"]
