# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.sugar.poll``: Poller and select under PyZMQ's import path."""

from zmq.core.poll import Poller, select

__all__ = ["Poller", "select"]
