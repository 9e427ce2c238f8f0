# SPDX-License-Identifier: BSD-3-Clause
"""zmq-core's implementation modules; users import them through ``zmq``."""

from zmq.core._version import __version__

__all__ = ["__version__"]
