# SPDX-License-Identifier: BSD-3-Clause
"""zmq-core's C-API version, checked when an extension that cimports zmq-core
is imported (the run-time half of the C-API version; capi.pxd is the
compile-time half).

Such an extension asks this module for ``CAPIVersion<N>``, N being the
version it was compiled against, before it touches any of zmq-core's types.
The name exists only for this zmq-core's own version; any other gets an
ImportError naming the extension, both versions and what to reinstall.
"""

import os
import sys

from zmq.core._version import __version__

# names for the annotations only (quoted where used): importing typing
# would add several ms to `import zmq`, __future__ a tenth of one
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any

# bumped with zmq-core's major version whenever a cdef field or cdef method
# of a cimportable class changes (also ZMQ_CORE_CAPI_VERSION in capi.pxd)
CAPI_VERSION = 1
_MARKER = "CAPIVersion"


class CAPIVersion1:
    """The marker type an extension built against C-API version 1 imports."""


def _importing_module() -> "Any":
    """The module whose import asked (an extension's init runs inside
    importlib's exec_module(module)), or None."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "exec_module" and "module" in frame.f_locals:
            return frame.f_locals["module"]
        frame = frame.f_back
    return None


def _distribution_of(path: str) -> str | None:
    """The installed distribution that owns the file at *path*, or None."""
    from importlib import metadata

    path = os.path.realpath(path)
    for dist in metadata.distributions():
        for f in dist.files or ():
            if f.suffix in (".so", ".pyd") and os.path.realpath(str(dist.locate_file(f))) == path:
                name: str = dist.metadata["Name"]
                return name
    return None


def _incompatible(built: int) -> ImportError:
    module = _importing_module()
    name = getattr(module, "__name__", None) or "an extension that cimports zmq-core"
    path = getattr(module, "__file__", None)
    dist = _distribution_of(path) if path else None
    fix = (f"reinstall {dist} built for this zmq-core "
           f"(pip install --force-reinstall --no-binary {dist} {dist})"
           if dist else f"rebuild {name} against this zmq-core")
    return ImportError(
        f"{name} was built against zmq-core C-API version {built}, but the installed "
        f"zmq-core {__version__} has C-API version {CAPI_VERSION}: {fix}, or install "
        f"a zmq-core with C-API version {built}"
    )


def __getattr__(name: str) -> "Any":
    if name.startswith(_MARKER) and name[len(_MARKER):].isdigit():
        raise _incompatible(int(name[len(_MARKER):]))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
