# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.sugar.tracker``: MessageTracker under PyZMQ's import path."""

# _FINISHED_TRACKER: the one tracker that is done from the start, returned
# by tracked sends that libzmq copied (nothing to wait for)
from zmq.core.message import _FINISHED_TRACKER, MessageTracker

__all__ = ["MessageTracker", "_FINISHED_TRACKER"]
