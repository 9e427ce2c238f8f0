# SPDX-License-Identifier: BSD-3-Clause
"""zmq-green's release; the build reads it from here."""

__version__ = "1.0.0"
