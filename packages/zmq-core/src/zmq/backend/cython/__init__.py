# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.backend.cython``: zmq-core's Cython objects under PyZMQ's path."""

from typing import Any

from zmq.backend.cython import _zmq
from zmq.backend.cython._zmq import *  # noqa: F403

Message = _zmq.Frame

__all__ = ["Message", *_zmq.__all__]


def __getattr__(name: str) -> Any:
    if name == "monitored_queue":
        return _zmq.__getattr__(name)
    raise AttributeError(f"module 'zmq.backend.cython' has no attribute {name!r}")
