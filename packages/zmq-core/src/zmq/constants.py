# SPDX-License-Identifier: BSD-3-Clause
"""libzmq's constants as enums and module-level names (``zmq.constants``)."""

from zmq.core.constants import *  # noqa: F403
from zmq.core.constants import __all__, _OptType  # noqa: F401
