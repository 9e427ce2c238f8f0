# SPDX-License-Identifier: BSD-3-Clause
"""gevent-cooperative ZeroMQ (the zmq-green distribution).

``import zmq.green as zmq`` gives every name of ``zmq``, with Context, Socket,
Poller, select, zmq_poll, device and proxy replaced by versions whose
blocking calls suspend only the calling greenlet: the gevent hub, and every
other greenlet, run meanwhile.
"""

import zmq as _zmq
from zmq import *  # noqa: F403

# the green replacements of names in zmq.__all__ (so in ours, which ruff
# cannot see) and zmq-green's own release
from zmq.green._version import __version__  # noqa: F401
from zmq.green.core import Context, Socket  # noqa: F401
from zmq.green.device import device, proxy  # noqa: F401
from zmq.green.poll import Poller, select, zmq_poll  # noqa: F401

__all__ = list(_zmq.__all__)
