# SPDX-License-Identifier: BSD-3-Clause
"""ZeroMQ for Python: PyZMQ-compatible bindings to libzmq (zmq-core).

``import zmq`` gives the same names as PyZMQ 27: Context, Socket, Frame,
Poller, the constants and errors. Other distributions of this project add
subpackages to this one (``zmq.serial``, ``zmq.log``, ``zmq.devices``,
``zmq.eventloop``, ``zmq.asyncio``).
"""

# Installed, every distribution's subpackages share this folder, so zmq's
# __path__ is left as it is: no scan of sys.path at import (pkgutil's
# extend_path cost more than the rest of `import zmq`). A development
# checkout, with a src/ folder per distribution, joins them with the finder
# its venv installs (ci/dev_builds.py).
import os as _os
from types import ModuleType as _ModuleType

from zmq.core import _version
from zmq.core.constants import *  # noqa: F403
from zmq.core.context import Context
from zmq.core.error import (
    Again,
    ContextTerminated,
    DraftFDWarning,
    InterruptedSystemCall,
    NotDone,
    ZMQBaseError,
    ZMQBindError,
    ZMQError,
    ZMQVersionError,
)
from zmq.core.install import distributions as _distributions
from zmq.core.message import _FINISHED_TRACKER as _FINISHED_TRACKER
from zmq.core.message import COPY_THRESHOLD, Frame, Message, MessageTracker
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

# PyZMQ's names for the same classes (zmq.sugar.context and zmq.sugar.socket
# say so too)
SyncContext = Context
SyncSocket = Socket

# PyZMQ's import paths (zmq.sugar.socket.Socket, zmq.backend.Context, ...)
# are modules that name the same objects. Programs use them as attributes of
# zmq without importing them, so the first such use loads them (__getattr__
# below), not `import zmq`, which they would make a tenth slower. So do
# zmq.constants and zmq.error (their names are zmq's own too), Poller and
# select (zmq.core.poll) and the proxies (zmq.core.proxy): what a program
# never uses costs it nothing.
_LAZY = {
    "backend": ("zmq.backend", None),
    "sugar": ("zmq.sugar", None),
    "constants": ("zmq.constants", None),
    "error": ("zmq.error", None),
    "Stopwatch": ("zmq.sugar.stopwatch", "Stopwatch"),
    "Poller": ("zmq.core.poll", "Poller"),
    "select": ("zmq.core.poll", "select"),
    "zmq_poll": ("zmq.core.poll", "zmq_poll"),
    "device": ("zmq.core.proxy", "device"),
    "proxy": ("zmq.core.proxy", "proxy"),
    "proxy_steerable": ("zmq.core.proxy", "proxy_steerable"),
}
TYPE_CHECKING = False
if TYPE_CHECKING:
    from zmq import backend as backend
    from zmq import constants as constants
    from zmq import error as error
    from zmq import sugar as sugar
    from zmq.core.poll import Poller, select, zmq_poll
    from zmq.core.proxy import device, proxy, proxy_steerable
    from zmq.sugar.stopwatch import Stopwatch

# zmq.asyncio, zmq.log, ... come from other distributions: without them, an
# import says which one to pip install
_distributions.install()

# True when both this build and the libzmq it runs on have the draft API.
DRAFT_API = PYZMQ_DRAFT_API and has("draft")

# PyZMQ reports its own release here; code that checks it sees the PyZMQ API
# level this implements. zmq-core's own release is zmq.core.__version__.
__version__ = _version.PYZMQ_API_VERSION
__revision__ = ""


def zmq_version() -> str:
    """The version of the libzmq in use, as a string like ``"4.3.4"``."""
    return "{}.{}.{}".format(*zmq_version_info())


def pyzmq_version() -> str:
    """The PyZMQ API level this package implements, as a string."""
    return _version.PYZMQ_API_VERSION


def pyzmq_version_info() -> tuple[int, ...]:
    """The PyZMQ API level this package implements, as a tuple of ints."""
    return tuple(int(part) for part in _version.PYZMQ_API_VERSION.split("."))


def get_includes() -> list[str]:
    """Directories a C or Cython build needs to use zmq-core: the folder
    holding the ``zmq`` package (for ``cimport zmq``), ``zmq/utils`` (as in
    PyZMQ), ``zmq/core/cdecl`` (for ``zmq_compat.h``) and libzmq's include folder
    (inside the wheel when the wheel carries libzmq)."""
    here = _os.path.dirname(_os.path.abspath(__file__))
    # the zmq/utils folder second, where PyZMQ's list has it
    dirs = [_os.path.dirname(here), _os.path.join(here, "utils"),
            _os.path.join(here, "core", "cdecl")]
    info = _build_info()
    if getattr(info, "LIBZMQ_BUNDLED", False):
        dirs.append(_os.path.join(here, "core", "include"))
    else:
        dirs.extend(d for d in getattr(info, "LIBZMQ_INCLUDE_DIRS", []) if d not in dirs)
    return dirs


def get_library_dirs() -> list[str]:
    """Directories holding the libzmq this zmq-core uses: the one it was built
    against, or the wheel's own ``zmq_core.libs`` when the wheel carries libzmq."""
    info = _build_info()
    if getattr(info, "LIBZMQ_BUNDLED", False):
        site = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
        return [_os.path.join(site, "zmq_core.libs")]
    return list(getattr(info, "LIBZMQ_LIBRARY_DIRS", []))


if not TYPE_CHECKING:
    # hidden from type checkers, which would take every unknown zmq.name
    # for this function's result; they see the imports above instead

    def __getattr__(name: str) -> object:
        """The names of _LAZY, imported on first use."""
        try:
            module_name, attribute = _LAZY[name]
        except KeyError:
            raise AttributeError(f"module 'zmq' has no attribute {name!r}") from None
        from importlib import import_module

        module = import_module(module_name)
        value = module if attribute is None else getattr(module, attribute)
        globals()[name] = value
        return value


def _build_info() -> _ModuleType | None:
    """zmq/core/_build_info.py, which the build writes (absent in a source tree)."""
    try:
        import zmq.core._build_info as info
    except ImportError:
        return None
    module: _ModuleType = info
    return module


# Every constant, then the names below. Written so that type checkers see
# the whole list too: they take `from m import __all__ as __all__` as m's public names,
# and then the strings of a literal list (not `+= m.__all__`), which is why
# the errors' names are spelled out (test_typing checks `from zmq import *`).
from zmq.core.constants import __all__ as __all__  # noqa: E402

__all__ = [
    *__all__,
    "Context",
    "Socket",
    "Frame",
    "Message",
    "MessageTracker",
    "Poller",
    "select",
    "zmq_poll",
    "proxy",
    "proxy_steerable",
    "device",
    "has",
    "strerror",
    "zmq_errno",
    "zmq_version",
    "zmq_version_info",
    "pyzmq_version",
    "pyzmq_version_info",
    "curve_keypair",
    "curve_public",
    "get_includes",
    "get_library_dirs",
    "COPY_THRESHOLD",
    "DRAFT_API",
    "PYZMQ_DRAFT_API",
    "IPC_PATH_MAX_LEN",
    "SyncContext",
    "SyncSocket",
    "Stopwatch",
    "_FINISHED_TRACKER",
    "__version__",
    "__revision__",
    "constants",
    "error",
    "DraftFDWarning",
    "ZMQBaseError",
    "ZMQBindError",
    "ZMQError",
    "NotDone",
    "ContextTerminated",
    "InterruptedSystemCall",
    "Again",
    "ZMQVersionError",
]
