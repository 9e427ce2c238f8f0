# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.sugar.version``: the PyZMQ API level and the libzmq version."""

import re

from zmq.core._version import PYZMQ_API_VERSION as __version__
from zmq.core.utils import zmq_version_info

__revision__ = ""

_parts = re.match(r"(\d+)\.(\d+)\.(\d+)(.*)", __version__)
assert _parts is not None, __version__
VERSION_MAJOR = int(_parts.group(1))
VERSION_MINOR = int(_parts.group(2))
VERSION_PATCH = int(_parts.group(3))
VERSION_EXTRA = _parts.group(4).lstrip(".")
# a development version sorts after every release of the same x.y.z
version_info = (VERSION_MAJOR, VERSION_MINOR, VERSION_PATCH) + (
    (float("inf"),) if VERSION_EXTRA else ()
)


def pyzmq_version() -> str:
    """The PyZMQ API level this package implements, as a string."""
    return f"{__version__}+{__revision__[:6]}" if __revision__ else __version__


def pyzmq_version_info() -> tuple[int | float, ...]:
    """The PyZMQ API level as a tuple of ints (``inf`` appended for a
    development version)."""
    return version_info


def zmq_version() -> str:
    """The version of the libzmq in use, as a string like ``"4.3.4"``."""
    return "{}.{}.{}".format(*zmq_version_info())


__all__ = [
    "zmq_version",
    "zmq_version_info",
    "pyzmq_version",
    "pyzmq_version_info",
    "__version__",
    "__revision__",
]
