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
# cannot see) and zmq-green's own release. They deliberately replace what the
# star import brought; what mypy says of that depends on whether it sees
# zmq.green from this src folder alone (no-redef) or with every distribution
# (assignment, for the green Context's type), hence the ignores' codes.
from zmq.green._version import __version__  # type: ignore[no-redef, unused-ignore] # noqa: F401
from zmq.green.core import (  # type: ignore[no-redef, assignment, unused-ignore] # noqa: F401
    Context,
    Socket,
)
from zmq.green.device import device, proxy  # type: ignore[no-redef, unused-ignore] # noqa: F401
from zmq.green.poll import (  # type: ignore[no-redef, unused-ignore] # noqa: F401
    Poller,
    select,
    zmq_poll,
)

__all__ = list(_zmq.__all__)
__all__ += [n for n in ("_FINISHED_TRACKER", "__revision__") if n not in __all__]
