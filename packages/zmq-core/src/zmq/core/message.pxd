# SPDX-License-Identifier: BSD-3-Clause
"""C-level interface of Frame and MessageTracker, for cimport by other modules."""

# first of all: the C-API version check every cimporting extension runs
from zmq.core cimport capi  # noqa

from zmq.core.cdecl cimport libzmq


cdef class MessageTracker:
    # zero-copy messages that libzmq has not yet released; changed only under
    # the lock of zmq.core.zerocopy (libzmq's free callback counts it down
    # from its own threads), read with an atomic load (_pending_count)
    cdef int _pending
    # other trackers/events this one also waits for (MessageTracker(*towatch)),
    # or None
    cdef tuple _watched


cdef class Frame:
    cdef libzmq.zmq_msg_t zmq_msg
    # the object whose memory libzmq shares (zero-copy), else None
    cdef object _data
    cdef object _bytes
    # __init__ has run, or the Frame got a message otherwise (recv,
    # fast_copy): a second __init__ would leak that message
    cdef bint _initialised
    # zero-copy from a read-only buffer (bytes...): .buffer must not write it
    cdef bint _readonly
    # weak reference to the memoryview .buffer last returned, or None
    cdef object _buffer
    cdef public bint more
    cdef public MessageTracker tracker
    cdef object __weakref__


cdef MessageTracker _new_tracker()
cdef MessageTracker _finished_tracker()

cdef Py_ssize_t _default_copy_threshold() except? -1
