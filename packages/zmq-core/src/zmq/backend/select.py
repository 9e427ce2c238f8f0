# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.backend.select``: the names every backend provides, and loading one."""

from __future__ import annotations

from importlib import import_module

# typing's names for the annotations only: importing typing would add
# several ms to `import zmq`
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# what zmq.backend re-exports from the chosen backend
public_api = [
    "Context",
    "Socket",
    "Frame",
    "Message",
    "proxy",
    "proxy_steerable",
    "zmq_poll",
    "strerror",
    "zmq_errno",
    "has",
    "curve_keypair",
    "curve_public",
    "zmq_version_info",
    "IPC_PATH_MAX_LEN",
    "PYZMQ_DRAFT_API",
]


def select_backend(name: str) -> dict[str, Any]:
    """Import the backend module *name* and return its public names as a
    dict. Only ``zmq.backend.cython`` exists in this project; PyZMQ's CFFI
    backend does not, so asking for it raises ImportError."""
    if name == "zmq.backend.cffi":
        raise ImportError(
            "zmq.backend.cffi is PyZMQ's CFFI backend; zmq-core has one backend,"
            " zmq.backend.cython (unset PYZMQ_BACKEND or set it to 'cython')"
        )
    try:
        module = import_module(name)
    except ImportError:
        raise
    except Exception as e:
        raise ImportError(f"importing the zmq backend {name} failed: {e}") from e
    return {key: getattr(module, key) for key in public_api}


__all__ = ["public_api", "select_backend"]
