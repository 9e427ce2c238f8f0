# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.utils.win32.allow_interrupt``: Ctrl-C during a blocking zmq call
on Windows.

On Windows a console Ctrl-C does not interrupt a thread blocked in libzmq.
``with allow_interrupt(action):`` installs a console control handler that
calls *action* (for example one that sends to a socket the blocked call is
also polling, or stops an event loop) and then lets Python raise
KeyboardInterrupt as usual. Elsewhere signals already interrupt blocking
calls, and this context manager does nothing.
"""

import os
from collections.abc import Callable
from typing import Any

_CTRL_C_EVENT = 0


class allow_interrupt:
    """Context manager: while active, a Windows console Ctrl-C first calls
    *action* (a callable without arguments that must not raise)."""

    def __init__(self, action: Callable[[], Any] | None = None) -> None:
        self.action = action if action is not None else (lambda: None)
        self._handler = None
        if os.name == "nt":
            self._make_handler()

    def _make_handler(self) -> None:  # pragma: no cover (Windows only)
        import ctypes
        from ctypes import wintypes

        # WinDLL, WINFUNCTYPE, WinError exist only in Windows' ctypes
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        handler_type = ctypes.WINFUNCTYPE(  # type: ignore[attr-defined]
            wintypes.BOOL, wintypes.DWORD)
        self._set_handler = kernel32.SetConsoleCtrlHandler
        self._set_handler.argtypes = (handler_type, wintypes.BOOL)
        self._set_handler.restype = wintypes.BOOL

        def on_console_event(event: int) -> int:
            if event == _CTRL_C_EVENT:
                self.action()
            # 0 = not handled: Python's own handler still turns the event
            # into KeyboardInterrupt
            return 0

        self._handler = handler_type(on_console_event)

    def _install(self, add: bool) -> None:
        import ctypes

        if not self._set_handler(self._handler, add):
            raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]

    def __enter__(self) -> None:
        if self._handler is not None:
            self._install(True)

    def __exit__(self, *exc: Any) -> None:
        if self._handler is not None:
            self._install(False)


__all__ = ["allow_interrupt"]
