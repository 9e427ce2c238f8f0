# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3
"""C-level use of zmq-core: every call below is a direct C call."""

from zmq cimport Context, Frame, Socket, libzmq


def libzmq_version():
    """libzmq's version, straight from the C API."""
    cdef int major = 0, minor = 0, patch = 0
    libzmq.zmq_version(&major, &minor, &patch)
    return (major, minor, patch)


def send_copies(Socket sock, bytes payload, int count):
    """Send *payload* *count* times through Socket's C-level send."""
    cdef int i
    cdef const char *data = payload
    cdef size_t size = len(payload)
    for i in range(count):
        sock._send_bytes(data, size, 0)
    return count


def recv_total(Socket sock, int count):
    """Receive *count* messages into one zmq_msg_t; return their total size."""
    cdef libzmq.zmq_msg_t msg
    cdef size_t total = 0
    cdef int i
    for i in range(count):
        libzmq.zmq_msg_init(&msg)
        try:
            sock._recv_msg(&msg, 0)
            total += libzmq.zmq_msg_size(&msg)
        finally:
            libzmq.zmq_msg_close(&msg)
    return total


def frame_size(Frame frame):
    """A Frame's size, read from its zmq_msg_t."""
    return libzmq.zmq_msg_size(&frame.zmq_msg)


def context_address(Context ctx):
    """The libzmq context pointer behind a Context."""
    return <size_t>ctx.handle
