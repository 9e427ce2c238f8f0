# SPDX-License-Identifier: BSD-3-Clause
"""Versions: this distribution's own, and the PyZMQ API level it implements."""

# zmq-core's release; the build reads it from here (pyproject: dynamic version)
__version__ = "1.0.0"

# the PyZMQ release whose API and behaviour zmq-core reproduces
PYZMQ_API_VERSION = "27.2.0"
