# SPDX-License-Identifier: BSD-3-Clause
"""zmq-core's low-level helpers, one home each, for zmq-core's own modules.

Private: zmq/__init__.pxd does not cimport this file, so it is no part of
the C API and may change in any release. The helpers used on send/recv paths
are inline (compiled into each module, no call through a pointer); the
others, and the interpreter-exit flag, live in zmq.core._internal.
"""

from cpython.buffer cimport PyObject_CheckBuffer
from cpython.exc cimport PyErr_CheckSignals, PyErr_Clear
from posix.time cimport CLOCK_MONOTONIC, clock_gettime, timespec

from zmq.core.error cimport raise_errno
from zmq.core.cdecl cimport libzmq


# Set once the interpreter exits: from then on contexts left open are
# neither terminated nor warned about (termination could wait forever on
# lingering messages) and no zero-copy reaper thread is started.
cdef bint _exiting

# sets _exiting (idempotent); called by zmq-core's one atexit hook,
# zmq.core.zerocopy._notice_exit, before it stops the reaper
cdef void _set_exiting() noexcept


# The calling thread's wake-up fd (an eventfd, made on first use, closed
# when the thread ends; a forked child makes its own): a thread waiting on a
# socket polls it beside the socket's ZMQ_FD, and whoever needs that thread
# to look again (another thread's operation on the socket, close()) writes
# to it. -1 with an OSError set if none can be made.
cdef int _thread_wake_fd() except -1

# The main thread's waits sleep at most this long at a time (ms), so that
# a signal that came just before a wait is seen within it.
cdef enum:
    _SIGNAL_SLICE_MS = 50

# Whether this is the thread Python runs signal handlers in.
cdef bint _in_main_thread() except -1

# The time the calling thread's next sleep may last, for a wait of
# timeout_ms (-1: forever): in the main thread, Python's pending signal
# handlers are run first (which may raise) and the sleep is a slice of at
# most _SIGNAL_SLICE_MS.
cdef long _signal_slice_ms(long timeout_ms) except -2

# Wait up to timeout_ms (-1: forever) for any of fds[0..n) to be readable,
# without the GIL; the last fd is the thread's wake fd, drained if it fired.
# Returns > 0 if one fired, 0 on timeout; a signal runs Python's handlers
# (which may raise) and returns 1, so that the caller looks again.
cdef int _wait_fds(int *fds, int n, long timeout_ms) except -1


cdef inline double _now() noexcept nogil:
    # a monotonic clock, in seconds
    cdef timespec ts
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return ts.tv_sec + ts.tv_nsec * 1e-9


cdef inline long _ms_left(double deadline) noexcept nogil:
    # whole ms until deadline (a _now() time), rounded up so that a wait
    # never ends before it; 0 once it has passed
    cdef double now = _now()
    if now >= deadline:
        return 0
    return <long>((deadline - now) * 1000.0) + 1


cdef inline int _errno_unless_interrupted() except -1:
    # after a failed libzmq call: its errno, or 0 when a signal interrupted
    # it (EINTR) and the caller should retry, once Python's signal handlers
    # have run (they may raise: Ctrl-C gives KeyboardInterrupt here)
    cdef int err = libzmq.zmq_errno()
    if err != libzmq.EINTR:
        return err
    PyErr_CheckSignals()
    return 0


cdef inline int _retry_if_interrupted() except -1:
    # after a failed libzmq call: return so that the caller retries if a
    # signal interrupted it, else raise its error
    cdef int err = _errno_unless_interrupted()
    if err:
        raise_errno(err)
    return 0


cdef inline void _socket_pollitem(libzmq.zmq_pollitem_t *item, void *handle,
                                  short events) noexcept nogil:
    # a zmq_poll item waiting for `events` on the libzmq socket `handle`
    item.socket = handle
    item.fd = 0
    item.events = events
    item.revents = 0


# zmq_poll over n items for up to timeout_ms (-1: forever), filling their
# revents; returns how many are ready. Sockets alone are first asked for
# ZMQ_EVENTS (no system call when one is ready or no wait is wanted); the
# wait releases the GIL, and a signal runs Python's handlers (which may
# raise) before it resumes with the time left.
cdef inline int _poll_items(libzmq.zmq_pollitem_t *items, int n, long timeout_ms) except -1:
    cdef int i, rc, events
    cdef int ready = 0
    cdef size_t size
    cdef bint sockets_only = True
    cdef double deadline
    cdef long slice_ms
    for i in range(n):
        if items[i].socket == NULL:
            sockets_only = False
            break
    if sockets_only:
        # ZMQ_EVENTS is what zmq_poll consults for a zmq socket
        for i in range(n):
            size = sizeof(int)
            if libzmq.zmq_getsockopt(items[i].socket, libzmq.ZMQ_EVENTS, &events, &size) != 0:
                raise_errno(libzmq.zmq_errno())
            items[i].revents = events & items[i].events
            if items[i].revents:
                ready += 1
        if ready or timeout_ms == 0:
            return ready
    deadline = _now() + timeout_ms / 1000.0 if timeout_ms > 0 else 0.0
    while True:
        # in slices in the main thread, as every other wait (Ctrl-C lands)
        slice_ms = _signal_slice_ms(timeout_ms)
        with nogil:
            rc = libzmq.zmq_poll(items, n, slice_ms)
        if rc > 0 or (rc == 0 and slice_ms == timeout_ms):
            return rc
        if rc < 0:
            _retry_if_interrupted()
        if timeout_ms > 0:
            timeout_ms = _ms_left(deadline)
            if timeout_ms == 0:
                return 0


cdef inline int _socket_events(void *handle) except -1:
    # ZMQ_EVENTS of a libzmq socket; reading it reads libzmq's commands,
    # which a signal may interrupt (EINTR: handlers run, then read again)
    cdef int events = 0
    cdef size_t size = sizeof(int)
    while libzmq.zmq_getsockopt(handle, libzmq.ZMQ_EVENTS, &events, &size) != 0:
        _retry_if_interrupted()
        size = sizeof(int)
    return events


cdef extern from "Python.h":
    # PyObject_GetBuffer without Cython's error check: on -1 the exception
    # is left set, for _get_buffer to replace
    int _get_buffer_unchecked "PyObject_GetBuffer" (object obj, Py_buffer *view,
                                                    int flags) noexcept


cdef inline int _get_buffer(object data, Py_buffer *view, int flags, str what) except -1:
    # a buffer view of data that libzmq can send or share. The common case
    # is inline; anything else goes to _get_buffer_slow, which raises the
    # error that says why, `what` (e.g. "send()", "Frame()") naming the call
    if PyObject_CheckBuffer(data) and _get_buffer_unchecked(data, view, flags) == 0:
        return 0
    PyErr_Clear()
    return _get_buffer_slow(data, view, flags, what)


# _get_buffer's errors: TypeError for str and objects without the buffer
# interface, NotContiguousError (a BufferError and a ValueError) for buffers
# not contiguous in memory. Returns 0 if the view could be had after all.
cdef int _get_buffer_slow(object data, Py_buffer *view, int flags, str what) except -1


# Whether setting attribute `key` of `obj` (a Context or Socket) is a plain
# attribute assignment, not a zmq option: the instance dict already has it,
# or a class in the MRO defines or annotates it.
cdef bint _is_plain_attribute(object obj, str key) except -1


# The libzmq context or socket a shadow wraps, read as PyZMQ reads it: the
# `underlying` address of a Context or Socket (`what` names the class), an
# int address, or a cffi/ctypes pointer (zmq.utils.interop). ValueError for
# anything else or a null address, OverflowError for an int outside 1..2**64-1.
cdef void *_shadow_address(object shadow, str what) except NULL
