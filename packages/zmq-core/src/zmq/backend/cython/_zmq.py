# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.backend.cython._zmq``: PyZMQ's single compiled module; here its
names are the ones ``zmq`` takes from zmq-core's per-object Cython modules
(imported from ``zmq``, which binds them before it loads this path)."""

from __future__ import annotations

from zmq import (
    IPC_PATH_MAX_LEN,
    PYZMQ_DRAFT_API,
    Context,
    Frame,
    Socket,
    curve_keypair,
    curve_public,
    has,
    proxy,
    proxy_steerable,
    strerror,
    zmq_errno,
    zmq_poll,
    zmq_version_info,
)

# typing's names for the annotations only: importing typing would add
# several ms to `import zmq`
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
