# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.sugar.socket``: the Socket class under PyZMQ's import path."""

from zmq.core.socket import Socket

# PyZMQ's name for the synchronous socket (as opposed to zmq.asyncio.Socket)
SyncSocket = Socket

__all__ = ["Socket", "SyncSocket"]
