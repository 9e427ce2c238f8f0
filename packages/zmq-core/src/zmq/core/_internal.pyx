# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3
"""zmq-core's private low-level helpers (see _internal.pxd): the ones not
inlined, and the interpreter-exit flag every module reads."""

from cpython.buffer cimport PyObject_CheckBuffer, PyObject_GetBuffer
from libc.stdint cimport uintptr_t


cdef void _set_exiting() noexcept:
    global _exiting
    _exiting = True


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


cdef void *_shadow_address(object shadow, str what) except NULL:
    address = shadow if isinstance(shadow, int) else getattr(shadow, "underlying", shadow)
    if not isinstance(address, int):
        from zmq.utils.interop import cast_int_addr
        try:
            address = cast_int_addr(address)
        except ValueError:
            raise ValueError(
                f"shadow takes a {what}, an int address or a cffi/ctypes pointer,"
                f" not {type(shadow).__name__}"
            ) from None
    if address == 0:
        raise ValueError(f"shadow address is 0 (null): no libzmq {what.lower()} at {shadow!r}")
    if not 0 < address < 2**64:
        # OverflowError, as PyZMQ raises converting it to a size_t
        raise OverflowError(f"shadow address must be an int in 1..2**64-1, not {address}")
    return <void *><uintptr_t>address
