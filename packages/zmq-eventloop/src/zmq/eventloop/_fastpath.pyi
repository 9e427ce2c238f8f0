# SPDX-License-Identifier: BSD-3-Clause
# Type information for the compiled zmq.eventloop._fastpath module.
import collections
from collections.abc import Callable
from typing import Any

from typing_extensions import disjoint_base

import zmq
from zmq.eventloop._futures import _Pending, _PollWait

def _future_maker(loop: Any) -> Callable[[], Any]: ...

@disjoint_base
class IOState:
    loop: Any
    busy: Any
    new_future: Callable[[], Any]
    recv_queue: collections.deque[_Pending]
    send_queue: collections.deque[_Pending]
    reader_fd: int | None
    handling: bool
    scheduled: bool
    polls: list[_PollWait]
    tornado: Any
    waited: int
    socket: Callable[[], Any]
    loop_lock: Any
    closed_loopless: bool
    def __init__(self, loop: Any, socket: Any) -> None: ...

# the four methods return futures; zmq.eventloop._futures.FutureSocket
# (and so zmq.asyncio.Socket) types them precisely
@disjoint_base
class FutureSocketBase(zmq.Socket):
    _io: IOState
    def recv(
        self, flags: int = 0, copy: bool = True, track: bool = False) -> Any: ...
    def recv_multipart(
        self, flags: int = 0, copy: bool = True, track: bool = False) -> Any: ...
    def send(  # type: ignore[override]
        self, data: Any, flags: int = 0, copy: bool = True, track: bool = False,
        **kwargs: Any) -> Any: ...
    def send_multipart(
        self, msg_parts: Any, flags: int = 0, copy: bool = True, track: bool = False,
        **kwargs: Any) -> Any: ...
