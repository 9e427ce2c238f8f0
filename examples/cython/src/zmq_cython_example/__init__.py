# SPDX-License-Identifier: BSD-3-Clause
"""Example of a third-party Cython extension built on zmq-core."""

from zmq_cython_example.fastpath import (
    context_address,
    frame_size,
    libzmq_version,
    recv_total,
    send_copies,
)

__all__ = ["context_address", "frame_size", "libzmq_version", "recv_total", "send_copies"]
