# SPDX-License-Identifier: BSD-3-Clause
"""Which distribution ships each part of ``zmq`` that zmq-core does not.

``import zmq.asyncio`` with zmq-core alone then fails with an ImportError
that says what to install, instead of a bare "No module named"; a PyZMQ
module that none ships (``zmq._future``) says so and names what to use.
"""

import sys

# for the annotations only: importlib.abc alone (the finders' base class)
# pulls importlib.resources, tempfile and more into `import zmq`, typing
# several ms more
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

# module (and everything under it) -> the distribution that ships it
SHIPPED_BY = {
    "zmq.serial": "zmq-serial",
    "zmq.utils.jsonapi": "zmq-serial",
    "zmq.log": "zmq-log",
    "zmq.devices": "zmq-devices",
    "zmq.eventloop": "zmq-eventloop",
    "zmq.asyncio": "zmq-eventloop",
    "zmq.auth": "zmq-auth",
    "zmq.green": "zmq-green",
}


# PyZMQ modules that no distribution of this project ships, and what to use
# instead
NOT_SHIPPED: dict[str, str] = {
    "zmq._future": (
        "it is PyZMQ's private base of its asyncio and Tornado sockets, which no"
        " distribution of this project ships; use zmq.asyncio or zmq.eventloop.future"
        " (pip install zmq-eventloop)"
    ),
}


def distribution_of(module: str) -> str | None:
    """The distribution that ships *module*, or None if zmq-core does."""
    parts = module.split(".")
    for n in range(len(parts), 1, -1):
        dist = SHIPPED_BY.get(".".join(parts[:n]))
        if dist:
            return dist
    return None


class _MissingDistributionFinder:
    """Last on sys.meta_path: consulted only when no installed distribution
    provided the module, and then names the one to install. (A meta path
    finder is any object with find_spec; importlib.abc.MetaPathFinder as a
    base would add only its import time.)"""

    def find_spec(self, fullname: str, path: "Sequence[str] | None" = None,
                  target: "ModuleType | None" = None) -> "ModuleSpec | None":
        if not fullname.startswith("zmq."):
            return None
        dist = distribution_of(fullname)
        reason = (f"it is part of {dist}; pip install {dist}" if dist is not None
                  else NOT_SHIPPED.get(".".join(fullname.split(".")[:2])))
        if reason is None:
            return None
        raise ModuleNotFoundError(f"No module named {fullname!r}: {reason}", name=fullname)


def install() -> None:
    """Put the finder at the end of sys.meta_path (once)."""
    if not any(isinstance(f, _MissingDistributionFinder) for f in sys.meta_path):
        sys.meta_path.append(_MissingDistributionFinder())
