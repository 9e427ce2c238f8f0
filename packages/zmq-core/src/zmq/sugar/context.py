# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.sugar.context``: the Context class under PyZMQ's import path."""

from zmq.core.context import Context

# PyZMQ's name for a Context whose sockets are the synchronous zmq.Socket
SyncContext = Context

__all__ = ["Context", "SyncContext"]
