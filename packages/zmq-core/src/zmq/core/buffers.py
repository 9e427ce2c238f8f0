# SPDX-License-Identifier: BSD-3-Clause
"""Types for annotations: the buffers zmq sends from and receives into.

``BufferLike`` is what ``Socket.send``, the parts of ``Socket.send_multipart``,
``Frame(data)`` and ``Socket.recv_into`` take: any object that exports the
buffer protocol (bytes, bytearray, memoryview, array.array, mmap, a Frame,
NumPy arrays and scalars).

Type checkers recognise such objects by their ``__buffer__`` method (PEP 688,
``collections.abc.Buffer``). NumPy's type stubs declare that method only when
checking for Python 3.12 or later, so ``ArrayBuffer`` also recognises a NumPy
array or scalar by what its stubs declare for every Python: its memory as a
memoryview (``.data``), described by the array interface.
"""

import sys
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, Union

if sys.version_info >= (3, 12):
    from collections.abc import Buffer
elif TYPE_CHECKING:
    from typing_extensions import Buffer


class ArrayBuffer(Protocol):
    """An array that lends its memory: NumPy's ndarray and scalars."""

    @property
    def __array_interface__(self) -> dict[str, Any]: ...

    @property
    def data(self) -> memoryview: ...


# ("Buffer" is a string: before Python 3.12 only type checkers know the name)
#: What zmq sends from and receives into: an object with the buffer protocol
#: (``collections.abc.Buffer``), or a NumPy array or scalar (``ArrayBuffer``).
BufferLike: TypeAlias = Union["Buffer", ArrayBuffer]

__all__ = ["ArrayBuffer", "BufferLike"]
