# SPDX-License-Identifier: BSD-3-Clause
"""The zero-copy release path, for zmq-core's own modules (message, socket).

Private: zmq/__init__.pxd does not cimport this file. The state lives in
zmq.core.zerocopy alone (cdecl/zero_copy_release.h is compiled into that
module only); other modules reach it through the functions below.
"""

from cpython.buffer cimport Py_buffer

from zmq.core.cdecl cimport libzmq


cdef extern from *:
    """
    /* a tracker's count of messages libzmq still holds: changed under
       zero_copy_release.h's lock, read without it */
    static inline int zmq_stack_pending_count(const int *pending)
    {
        return __atomic_load_n(pending, __ATOMIC_RELAXED);
    }
    """
    int _pending_count "zmq_stack_pending_count" (const int *pending) noexcept nogil


# Fill `msg` with the bytes of `view` without copying them: libzmq shares the
# memory; once it is done, `view` is released, `*pending` (a tracker's
# counter, or NULL) counted down and `tracker` (kept alive until then, or
# None) dropped. On failure `view` is released too and an exception is set.
# `findable`: a read-only view may be found by _shared_readonly (for
# messages that may cross an inproc pipe).
cdef int _init_msg_zero_copy(libzmq.zmq_msg_t *msg, Py_buffer *view, object tracker,
                             int *pending, bint findable=*) except -1

# The object whose read-only memory a live zero-copy message made findable
# shares at exactly (data, size), or None. A message received over inproc
# carries the sender's memory: bytes can be returned as they are, and a
# Frame over them must stay read-only. Needs the GIL and the received
# message still open; costs one atomic load while no such message lives.
cdef object _shared_readonly(const void *data, size_t size)

# Drop the Python references of the buffers libzmq has released (a lock-free
# check when there are none); needs the GIL.
cdef void _drain_if_released() noexcept

# Without the GIL: wait up to `ms` milliseconds for `*pending` to reach 0;
# returns 1 once it has.
cdef int _wait_pending(int *pending, long ms) noexcept nogil
