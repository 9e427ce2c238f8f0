# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3
"""zmq-core's private low-level helpers (see _internal.pxd): the ones not
inlined, and the interpreter-exit flag every module reads."""

import atexit

from cpython.buffer cimport PyObject_CheckBuffer, PyObject_GetBuffer

from zmq.core.checkrc cimport _raise_errno
from zmq.core.libzmq cimport ZMQ_EVENTS, zmq_errno, zmq_getsockopt, zmq_poll, zmq_pollitem_t


cdef void _notice_exit() noexcept:
    global _exiting
    _exiting = True


def _at_exit():
    _notice_exit()


atexit.register(_at_exit)


cdef int _poll_items(zmq_pollitem_t *items, int n, long timeout_ms) except -1:
    cdef int i, rc, events
    cdef int ready = 0
    cdef size_t size
    cdef bint sockets_only = True
    cdef double deadline
    for i in range(n):
        if items[i].socket == NULL:
            sockets_only = False
            break
    if sockets_only:
        # ZMQ_EVENTS is what zmq_poll consults for a zmq socket
        for i in range(n):
            size = sizeof(int)
            if zmq_getsockopt(items[i].socket, ZMQ_EVENTS, &events, &size) != 0:
                _raise_errno(zmq_errno())
            items[i].revents = events & items[i].events
            if items[i].revents:
                ready += 1
        if ready or timeout_ms == 0:
            return ready
    deadline = _now() + timeout_ms / 1000.0 if timeout_ms > 0 else 0.0
    while True:
        with nogil:
            rc = zmq_poll(items, n, timeout_ms)
        if rc >= 0:
            return rc
        _retry_if_interrupted()
        if timeout_ms > 0:
            timeout_ms = _ms_left(deadline)


cdef bint _is_plain_attribute(object obj, str key) except -1:
    if key in obj.__dict__:
        return True
    for klass in type(obj).__mro__:
        if key in klass.__dict__ or key in getattr(klass, "__annotations__", {}):
            return True
    return False


cdef int _get_buffer_slow(object data, Py_buffer *view, int flags, str what) except -1:
    if isinstance(data, str):
        raise TypeError(
            f"{what} takes bytes or a buffer, not str; encode it first or use send_string()"
        )
    if not PyObject_CheckBuffer(data):
        raise TypeError(
            f"{what} takes bytes, a Frame or an object with the buffer interface,"
            f" not {type(data).__name__}"
        )
    try:
        PyObject_GetBuffer(data, view, flags)
    except BufferError as e:
        from zmq.core.message import NotContiguousError
        raise NotContiguousError(
            f"{what} needs a contiguous buffer, and this {type(data).__name__} is not"
            f" contiguous; copy it first (e.g. numpy.ascontiguousarray): {e}"
        ) from None
    return 0
