# SPDX-License-Identifier: BSD-3-Clause
"""numpy arrays: send_array and recv_array, the data shared with libzmq
instead of copied (``pip install numpy``)."""

import json
from types import ModuleType
from typing import Any

import zmq
from zmq.serial._transport import decode_received
from zmq.serial.errors import ArrayHeaderError

_np: ModuleType | None = None


def _numpy() -> ModuleType:
    global _np
    if _np is None:
        try:
            import numpy
        except ImportError:
            raise ImportError("send_array/recv_array need numpy: pip install numpy") from None
        _np = numpy
    return _np


# Streams of arrays repeat a few dtype/shape combinations: headers are
# encoded and parsed once per combination (bounded caches).
_HEADERS: dict[tuple[Any, tuple[int, ...], str], bytes] = {}
_PARSED: dict[bytes, tuple[Any, tuple[int, ...], str, int]] = {}
_CACHE_LIMIT = 256


def _array_header(np: ModuleType, array: Any) -> bytes:
    order = "F" if array.flags.f_contiguous and not array.flags.c_contiguous else "C"
    key = (array.dtype, array.shape, order)
    header = _HEADERS.get(key)
    if header is None:
        header = json.dumps({
            "v": 1,
            "dtype": np.lib.format.dtype_to_descr(array.dtype),
            "shape": list(array.shape),
            "order": order,
        }).encode("utf-8")
        if len(_HEADERS) >= _CACHE_LIMIT:
            _HEADERS.clear()
        _HEADERS[key] = header
    return header


def send_array(socket: zmq.Socket, array: Any, flags: int = 0, copy: bool = False,
               track: bool = False, **kwargs: Any) -> Any:
    """Send a numpy array as two frames: a small JSON header (dtype, shape,
    memory order), then its data, shared with libzmq without a copy (by
    default). A non-contiguous array is copied to a contiguous one first.
    Object arrays are refused (their data are pointers)."""
    np = _numpy()
    array = np.asanyarray(array)
    if array.dtype.hasobject:
        raise TypeError("send_array cannot send object arrays; use send_pyobj")
    if not (array.flags.c_contiguous or array.flags.f_contiguous):
        array = np.ascontiguousarray(array)
    header = _array_header(np, array)
    data = array.reshape(-1, order="A").view(np.uint8) if array.size else b""
    return socket.send_multipart([header, data], flags, copy, track, **kwargs)


def _parse_array_header(np: ModuleType, head: Any) -> tuple[Any, tuple[int, ...], str, int]:
    head = bytes(head)
    parsed = _PARSED.get(head)
    if parsed is not None:
        return parsed
    try:
        header = json.loads(head.decode("utf-8"))
        descr = header["dtype"]
        dtype = np.lib.format.descr_to_dtype(
            [tuple(f) for f in descr] if isinstance(descr, list) else descr
        )
        shape = tuple(int(n) for n in header["shape"])
        order = header.get("order", "C")
        if order not in ("C", "F") or any(n < 0 for n in shape) or dtype.hasobject:
            raise ValueError(f"bad order/shape/dtype {order!r} {shape!r} {dtype!r}")
    except (ValueError, KeyError, TypeError) as e:
        raise ArrayHeaderError(f"recv_array: invalid array header {head[:200]!r}: {e}") \
            from None
    count = 1
    for n in shape:
        count *= n
    parsed = (dtype, shape, order, count)
    if len(_PARSED) >= _CACHE_LIMIT:
        _PARSED.clear()
    _PARSED[head] = parsed
    return parsed


def _load_array(frames: list[Any]) -> Any:
    np = _numpy()
    if len(frames) != 2:
        raise ArrayHeaderError(f"recv_array: expected 2 frames (header, data), got {len(frames)}")
    head, data = frames
    dtype, shape, order, count = _parse_array_header(np, head)
    size = len(data)
    if size != count * dtype.itemsize:
        raise ArrayHeaderError(
            f"recv_array: header says {shape} of {dtype} ({count * dtype.itemsize} bytes),"
            f" data has {size} bytes"
        )
    if count == 0 or dtype.itemsize == 0:
        # nothing to share (and frombuffer refuses items of size 0, "|V0")
        return np.empty(shape, dtype=dtype, order=order)
    # frombuffer keeps the Frame (and so libzmq's memory) alive: no copy
    try:
        return np.frombuffer(data, dtype=dtype).reshape(shape, order=order)
    except ValueError as e:
        raise ArrayHeaderError(f"recv_array: header does not fit the data: {e}") from None


def recv_array(socket: zmq.Socket, flags: int = 0, copy: bool = False) -> Any:
    """Receive an array sent with :func:`send_array`. With ``copy=False``
    (the default) the array's data is the received message, not a copy. A
    bad header raises :class:`ArrayHeaderError` after the whole message was
    consumed."""
    return decode_received(socket, socket.recv_multipart(flags, copy), _load_array)


__all__ = ["recv_array", "send_array"]
