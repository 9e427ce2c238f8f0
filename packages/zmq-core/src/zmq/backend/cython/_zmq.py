# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.backend.cython._zmq``: PyZMQ's single compiled module; here its
names come from zmq-core's per-object Cython modules."""

from typing import Any

from zmq.core.context import Context
from zmq.core.message import Frame
from zmq.core.poll import zmq_poll
from zmq.core.proxy import proxy, proxy_steerable
from zmq.core.socket import Socket
from zmq.core.utils import BUILT_WITH_DRAFT_API as PYZMQ_DRAFT_API
from zmq.core.utils import (
    IPC_PATH_MAX_LEN,
    curve_keypair,
    curve_public,
    has,
    strerror,
    zmq_errno,
    zmq_version_info,
)

__all__ = [
    "IPC_PATH_MAX_LEN",
    "PYZMQ_DRAFT_API",
    "Context",
    "Socket",
    "Frame",
    "has",
    "curve_keypair",
    "curve_public",
    "zmq_version_info",
    "zmq_errno",
    "zmq_poll",
    "strerror",
    "proxy",
    "proxy_steerable",
]


def __getattr__(name: str) -> Any:
    # PyZMQ compiles monitored_queue into this module; here it ships with
    # zmq-devices, so it is imported on first use
    if name == "monitored_queue":
        try:
            from zmq.devices.monitoredqueue import monitored_queue
        except ImportError as e:
            raise ImportError(
                "monitored_queue is part of zmq-devices: pip install zmq-devices"
            ) from e
        return monitored_queue
    raise AttributeError(f"module 'zmq.backend.cython._zmq' has no attribute {name!r}")
