# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.backend.cython``: zmq-core's Cython objects under PyZMQ's path."""

from __future__ import annotations

from zmq.backend.cython import _zmq
from zmq.backend.cython._zmq import *  # noqa: F403

# typing's names for the annotations only: importing typing would add
# several ms to `import zmq`
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Message = _zmq.Frame

__all__ = ["Message", *_zmq.__all__]


def __getattr__(name: str) -> Any:
    if name == "monitored_queue":
        return _zmq.__getattr__(name)
    raise AttributeError(f"module 'zmq.backend.cython' has no attribute {name!r}")
