# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.sugar.version``: the PyZMQ API level and the libzmq version."""

from zmq.core._version import PYZMQ_API_VERSION as __version__
from zmq.core.utils import zmq_version_info

__revision__ = ""

# "27.2.0", or "27.2.0.dev0" / "27.2.0dev" for a development version (parsed
# without re, whose import would cost more than the rest of this module)
_major, _minor, _rest = __version__.split(".", 2)
_patch_len = len(_rest) - len(_rest.lstrip("0123456789"))
VERSION_MAJOR = int(_major)
VERSION_MINOR = int(_minor)
VERSION_PATCH = int(_rest[:_patch_len])
VERSION_EXTRA = _rest[_patch_len:].lstrip(".")
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
