# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.sugar.tracker``: MessageTracker under PyZMQ's import path."""

from zmq.core.message import MessageTracker

# A tracker that watches nothing, so it is done from the start: PyZMQ hands
# it out where a send needs no tracking, and some programs compare with it.
_FINISHED_TRACKER = MessageTracker()

__all__ = ["MessageTracker", "_FINISHED_TRACKER"]
