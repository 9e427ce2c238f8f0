# SPDX-License-Identifier: BSD-3-Clause
"""gevent-cooperative ZeroMQ (the zmq-green distribution).

``import zmq.green as zmq`` gives every name of ``zmq``, with Context, Socket,
Poller, select, zmq_poll, device and proxy replaced by versions whose
blocking calls suspend only the calling greenlet: the gevent hub, and every
other greenlet, run meanwhile.
"""

import zmq as _zmq
from zmq import *  # noqa: F403
from zmq.green._version import __version__
from zmq.green.core import Context, Socket
from zmq.green.device import device, proxy
from zmq.green.poll import Poller, select, zmq_poll

__all__ = list(_zmq.__all__)
