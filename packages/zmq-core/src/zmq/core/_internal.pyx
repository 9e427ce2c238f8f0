# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3
"""zmq-core's private low-level helpers (see _internal.pxd): the ones not
inlined, and the interpreter-exit flag every module reads."""

import atexit

from cpython.buffer cimport PyObject_CheckBuffer, PyObject_GetBuffer


cdef void _notice_exit() noexcept:
    global _exiting
    _exiting = True


def _at_exit():
    _notice_exit()


atexit.register(_at_exit)


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
