# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.sugar.frame``: Frame (and its alias Message) under PyZMQ's import path."""

from zmq.core.message import Frame, Message

__all__ = ["Frame", "Message"]
