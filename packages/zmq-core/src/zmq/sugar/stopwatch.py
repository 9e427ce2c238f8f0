# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.Stopwatch``: a microsecond timer, kept for old programs."""

import time
import warnings


class Stopwatch:
    """Measures elapsed time in whole microseconds: ``start()``, then
    ``stop()`` returns the time since. Deprecated (as in PyZMQ): use
    ``time.monotonic()`` or ``time.perf_counter()``."""

    def __init__(self) -> None:
        warnings.warn(
            "zmq.Stopwatch is deprecated; use time.monotonic() or time.perf_counter()",
            DeprecationWarning,
            stacklevel=2,
        )
        self._started = 0.0

    def start(self) -> None:
        """Start (or restart) the timer."""
        self._started = time.monotonic()

    def stop(self) -> int:
        """Microseconds since the last ``start()``, as an int."""
        return int((time.monotonic() - self._started) * 1_000_000)


__all__ = ["Stopwatch"]
