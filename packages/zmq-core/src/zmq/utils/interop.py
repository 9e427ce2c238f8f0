# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.utils.interop``: addresses handed over by other ZeroMQ bindings."""

from typing import Any


def cast_int_addr(n: Any) -> int:
    """The memory address *n* as an int, for ``Socket.shadow`` and
    ``Context.shadow``. *n* is an int, or a ctypes/cffi pointer (as other
    bindings such as pyczmq hand out)."""
    if isinstance(n, int):
        return n
    try:
        import cffi  # type: ignore[import-untyped]
    except ImportError:
        pass
    else:
        ffi = cffi.FFI()
        if isinstance(n, ffi.CData):
            return int(ffi.cast("size_t", n))
    import ctypes

    if isinstance(n, ctypes.c_void_p):
        return n.value or 0
    if isinstance(n, ctypes._Pointer):
        return ctypes.cast(n, ctypes.c_void_p).value or 0
    raise ValueError(f"cannot read a memory address from {type(n).__name__}: {n!r}")


__all__ = ["cast_int_addr"]
