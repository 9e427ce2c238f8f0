# SPDX-License-Identifier: BSD-3-Clause
import threading
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any

from typing_extensions import disjoint_base

@disjoint_base
class OSLock:
    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool: ...
    def release(self) -> None: ...
    def locked(self) -> bool: ...
    def __enter__(self) -> OSLock: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

@disjoint_base
class OSEvent:
    def is_set(self) -> bool: ...
    def isSet(self) -> bool: ...
    def set(self) -> None: ...
    def clear(self) -> None: ...
    def wait(self, timeout: float | None = None) -> bool: ...

class OSThread(threading.Thread):
    # a daemon unless told otherwise (threading.Thread inherits the creator's)
    def __init__(
        self,
        group: None = None,
        target: Callable[..., object] | None = None,
        name: str | None = None,
        args: Iterable[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
        *,
        daemon: bool = True,
    ) -> None: ...

def get_ident() -> int: ...

__all__ = ["OSEvent", "OSLock", "OSThread", "get_ident"]
