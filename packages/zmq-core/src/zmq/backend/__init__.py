# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.backend``: the low-level objects, under PyZMQ's import path.

PyZMQ chooses between a Cython and a CFFI backend here. This project has
one implementation, zmq-core's Cython modules, so ``zmq.backend`` and
``zmq.backend.cython`` name exactly the objects ``zmq`` exports.
``PYZMQ_BACKEND`` may name ``cython`` (or ``zmq.backend.cython``); any
other backend is refused with an ImportError.
"""

from __future__ import annotations

import os as _os

from zmq.backend.select import public_api, select_backend

# typing's names for the annotations only: importing typing would add
# several ms to `import zmq`
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_choice = _os.environ.get("PYZMQ_BACKEND", "cython")
if _choice in ("cython", "cffi"):
    _choice = f"zmq.backend.{_choice}"
globals().update(select_backend(_choice))
del _choice

__all__ = list(public_api)


def __getattr__(name: str) -> Any:
    # monitored_queue ships with zmq-devices: looked up on first use
    if name == "monitored_queue":
        from zmq.backend.cython import monitored_queue

        return monitored_queue
    raise AttributeError(f"module 'zmq.backend' has no attribute {name!r}")
