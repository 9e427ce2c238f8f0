# SPDX-License-Identifier: BSD-3-Clause
"""PyZMQ's ``zmq.sugar`` import path.

In PyZMQ this package holds Python subclasses layered over the Cython
backend. Here the Cython classes are the public classes, so these modules
only give the same objects under the same names (``zmq.sugar.socket.Socket
is zmq.Socket``): programs that import or annotate with these paths keep
working, and nothing sits between them and the C code.
"""

from zmq import error
from zmq.core.proxy import device
from zmq.error import *  # noqa: F403
from zmq.sugar import attrsettr, context, frame, poll, socket, stopwatch, tracker, version
from zmq.sugar.context import *  # noqa: F403
from zmq.sugar.frame import *  # noqa: F403
from zmq.sugar.poll import *  # noqa: F403
from zmq.sugar.socket import *  # noqa: F403
from zmq.sugar.stopwatch import Stopwatch
from zmq.sugar.tracker import *  # noqa: F403
from zmq.sugar.version import *  # noqa: F403

__all__ = ["device", "Stopwatch"]
for _module in (context, error, frame, poll, socket, tracker, version):
    __all__.extend(_module.__all__)
del _module
# keep the submodule names importable as attributes, as PyZMQ's package does
_ = (attrsettr, stopwatch)
