# SPDX-License-Identifier: BSD-3-Clause
"""The exceptions zmq raises (``zmq.error``)."""

from zmq.core.error import *  # noqa: F403
from zmq.core.error import __all__, _check_rc, _check_version  # noqa: F401
