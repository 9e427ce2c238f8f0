# SPDX-License-Identifier: BSD-3-Clause
"""zmq-green's own release (read by the build)."""

__version__ = "1.0.0"
