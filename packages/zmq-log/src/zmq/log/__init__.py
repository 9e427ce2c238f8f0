# SPDX-License-Identifier: BSD-3-Clause
"""Logging over ZeroMQ (the zmq-log distribution): see zmq.log.handlers and
``python -m zmq.log``."""

from zmq.log._version import __version__

__all__ = ["__version__"]
