# SPDX-License-Identifier: BSD-3-Clause
"""Example of a third-party Cython extension built on zmq-core."""

# zmq first: it loads libzmq, which the extension links (from zmq-core's own
# wheel when that wheel carries libzmq)
import zmq  # noqa: F401
from zmq_cython_example.fastpath import (
    context_address,
    frame_size,
    libzmq_version,
    recv_total,
    send_copies,
)

__all__ = ["context_address", "frame_size", "libzmq_version", "recv_total", "send_copies"]
