# SPDX-License-Identifier: BSD-3-Clause
"""gevent-cooperative ZeroMQ (the zmq-green distribution).

``import zmq.green as zmq`` gives every name of ``zmq``, with Context, Socket,
Poller, select, zmq_poll, device and proxy replaced by versions whose
blocking calls suspend only the calling greenlet: the gevent hub, and every
other greenlet, run meanwhile.
"""

import zmq as _zmq
from zmq import *  # noqa: F403

# in zmq.__all__, but a star import skips underscore names
from zmq import _FINISHED_TRACKER, __revision__  # noqa: F401

# the green replacements of names in zmq.__all__ (so in ours, which ruff
# cannot see) and zmq-green's own release; they replace what the star import
# brought (the green Context is no zmq.Context[zmq.Socket] to a type checker)
from zmq.green._version import __version__  # noqa: F401
from zmq.green.core import Context, Socket  # type: ignore[assignment] # noqa: F401
from zmq.green.device import device, proxy  # noqa: F401
from zmq.green.poll import Poller, select, zmq_poll  # noqa: F401

__all__ = list(_zmq.__all__)
__all__ += [n for n in ("_FINISHED_TRACKER", "__revision__") if n not in __all__]
