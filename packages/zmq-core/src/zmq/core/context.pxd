# SPDX-License-Identifier: BSD-3-Clause
"""C-level interface of Context, for cimport by other modules."""

# first of all: the C-API version check every cimporting extension runs
from zmq.core cimport capi  # noqa


cdef class Context:
    # the libzmq context; NULL once terminated
    cdef void *handle
    cdef bint _closed
    # shadows do not own the libzmq context: they never terminate it
    cdef readonly bint _shadow
    cdef readonly object _shadow_obj
    # process that created it: a forked child never terminates the parent's
    cdef int _pid
    cdef public dict sockopts
    cdef object _sockets
    # held by the thread calling zmq_ctx_term: a term() or destroy() from a
    # second thread waits for the first instead of terminating twice
    cdef object _term_lock
    cdef bint _warn_destroy_close
    cdef dict __dict__
    cdef object __weakref__
