# SPDX-License-Identifier: BSD-3-Clause
"""C-level interface of Socket, for cimport by other modules.

Third-party Cython code can call the ``cdef`` methods below without going
through Python: ``from zmq cimport Socket`` then ``sock._send_bytes(...)``.
"""

# first of all: the C-API version check every cimporting extension runs
from zmq.core cimport capi  # noqa

from zmq.core.cdecl cimport libzmq
from zmq.core.message cimport Frame


cdef class Socket:
    # the libzmq socket; never used once _closed is set
    cdef void *handle
    cdef bint _closed
    # shadows do not own the libzmq socket: they never close it on __del__
    cdef readonly bint _shadow
    cdef readonly object _shadow_obj
    # process that created it: a forked child never closes the parent's
    cdef int _pid
    cdef int _type
    cdef public object context
    cdef public int copy_threshold
    # the PAIR socket get_monitor_socket() made, if any
    cdef object _monitor_socket
    # thread-safe (draft) sockets have no ZMQ_FD: a zmq_poller watching the
    # socket lends its fd instead (made on first use, destroyed by close)
    cdef void *_draft_poller
    # set once bound or connected to an inproc endpoint (or when shadowing a
    # socket this object cannot see): an inproc peer receives the very
    # buffer sent, so copy=True sends must then really copy
    cdef bint _maybe_inproc
    # threads waiting on this socket (in _wait or poll()): the wake fd each
    # polls beside ZMQ_FD, shifted left by 2, or'ed with the events it
    # waits for. An operation on the socket while some wait may consume the
    # edge of ZMQ_FD they wait for: it then wakes those whose events are
    # ready (_wake_waiters); close() wakes them all. None until a wait.
    cdef list _wake_fds
    cdef int _waiters
    cdef dict __dict__
    cdef object __weakref__

    # raise ENOTSOCK if closed; every method calls this before libzmq
    cdef int _check_open(self) except -1
    cdef int _get_int(self, int option) except? -1
    # the fd to wait on: ZMQ_FD, or a draft poller's fd for thread-safe sockets
    cdef int _fd(self) except -1
    # after a failed non-blocking attempt: raise unless it is worth retrying
    cdef int _retry_or_raise(self, int flags) except -1
    # with SNDTIMEO/RCVTIMEO set, wait (GIL released) until ready for
    # `event` or raise Again at the deadline, and return 0; without a
    # timeout return 1: the caller then blocks in libzmq itself. `deadline`
    # is 0.0 on the first call and kept by the caller across retries.
    cdef int _wait(self, short event, double *deadline) except -1
    # read ZMQ_EVENTS and wake the waiting threads whose events are ready
    # (all of them with `all`, without reading); returns the events
    cdef int _wake_waiters(self, bint all=*) except -1
    # wait up to timeout_ms (-1: forever) for libzmq's FD or the thread's
    # wake fd, as a waiter for `events`; ENOTSOCK if closed meanwhile
    cdef int _wait_fd(self, int zmq_fd, long timeout_ms, short events) except -1
    # for a wait on several sockets (Poller, select, proxy), in the socket's
    # critical section: ENOTSOCK if closed; 0 without registering `key` when
    # the socket is already ready for `events` (another thread's call may
    # have taken the FD's edge since the caller read ZMQ_EVENTS: without the
    # GIL that can happen between the caller's read and this call), else
    # register key as a waiter and return 1. _stop_waiting undoes it.
    cdef int _start_waiting(self, long key, int events) except -1
    cdef int _stop_waiting(self, long key) except -1
    # send len bytes from data (copied by libzmq), blocking per flags
    cdef int _send_bytes(self, const void *data, size_t size, int flags) except -1
    # send msg (emptied on success, still the caller's on failure)
    cdef int _send_msg(self, libzmq.zmq_msg_t *msg, int flags) except -1
    # receive one part into an initialised msg; returns its size
    cdef int _recv_msg(self, libzmq.zmq_msg_t *msg, int flags) except -1
    cdef object _recv_bytes(self, int flags, bint *more)
    cdef Frame _recv_frame(self, int flags, bint track)
    cdef object _send_part(self, object data, int flags, bint copy, object tracker)
