# SPDX-License-Identifier: BSD-3-Clause
"""zmq-core's implementation modules; users import them through ``zmq``."""

from zmq.core._version import __version__
from zmq.core.install._coinstall import PyZMQInstalledWarning, warn_if_pyzmq_installed

# PyZMQ installed beside us overwrites zmq/: say so, once, at first import
warn_if_pyzmq_installed()

__all__ = ["PyZMQInstalledWarning", "__version__"]
