# SPDX-License-Identifier: BSD-3-Clause
"""Serialisation for zmq sockets (the zmq-serial distribution).

With this installed, ``zmq.Socket`` methods such as ``send_json`` and
``recv_pyobj`` work: zmq-core's Socket forwards them to the functions here,
which take the socket as their first argument (zmq-serial is the codec
provider that the ``zmq.codecs`` entry point names: ``zmq.serial.provider``).
The functions also accept asyncio/Tornado sockets, whose ``recv`` returns an
awaitable: the decoding then happens when it completes.

.. warning::
   Unpickling runs code chosen by the sender. Never use plain
   ``recv_pyobj`` (or ``PICKLE``) on messages from peers you do not trust;
   sign pickles with a shared key instead (``send_pyobj(obj, key=...)`` and
   ``recv_pyobj(key=...)``, or a :class:`Signer`), or use JSON or msgpack.
"""

import hashlib
import hmac
import inspect
import json
import pickle
import threading

from zmq import Frame
from zmq.serial._version import __version__

# the types a plain (blocking) socket's recv/recv_multipart return
_RECEIVED_NOW = (bytes, list, Frame)

DEFAULT_PROTOCOL = pickle.DEFAULT_PROTOCOL

# -- errors -------------------------------------------------------------------


class DecodeError(ValueError):
    """A received message could not be decoded; the message names the codec.

    The whole message was consumed: nothing is left half-read on the socket.
    """


class JSONDecodeError(DecodeError, json.JSONDecodeError):
    """Invalid JSON (also a :class:`json.JSONDecodeError`)."""


class UTF8DecodeError(DecodeError, UnicodeDecodeError):
    """Invalid utf-8 where JSON text was expected (also a UnicodeDecodeError)."""


class UnpicklingError(DecodeError, pickle.UnpicklingError):
    """A pickle that could not be loaded (also a :class:`pickle.UnpicklingError`)."""


class SignatureError(DecodeError):
    """A pickle that was not signed with the expected key: it is never loaded."""


class ArrayHeaderError(DecodeError):
    """A message that is not a valid ``send_array`` message."""


class MsgpackDecodeError(DecodeError):
    """Invalid msgpack data."""


# -- plumbing -------------------------------------------------------------------


def _split_send_kwargs(kwargs):
    """Pop the draft routing fields that belong to send(), not to the codec."""
    send_kwargs = {}
    for key in ("routing_id", "group"):
        if key in kwargs:
            send_kwargs[key] = kwargs.pop(key)
    return send_kwargs


async def _decode_later(pending, load):
    return load(await pending)


def _deserialize(socket, received, load):
    # what a plain socket returns is decoded at once; sockets that receive
    # through futures (asyncio, Tornado) may define their own hook, as in
    # PyZMQ; otherwise an awaitable is decoded when it completes
    if type(received) in _RECEIVED_NOW:
        return load(received)
    hook = getattr(type(socket), "_deserialize", None)
    if hook is not None:
        return hook(socket, received, load)
    if inspect.isawaitable(received):
        return _decode_later(received, load)
    return load(received)


# -- JSON -------------------------------------------------------------------------

# json.dumps/json.loads build a new C encoder or go through Python-level
# checks on every call; with default settings the output is the same when
# the C encoder and scanner are made once (per thread, since the encoder's
# circular-reference memo must not be shared) and called directly.
_json_state = threading.local()


def _json_codec():
    try:
        return _json_state.encoder, _json_state.scanner
    except AttributeError:
        pass
    encoder = scanner = None
    try:
        from json.encoder import c_make_encoder, encode_basestring_ascii
        from json.scanner import c_make_scanner

        if c_make_encoder is not None and c_make_scanner is not None:
            plain = json.JSONEncoder()
            encoder = c_make_encoder({}, plain.default, encode_basestring_ascii, None,
                                     ": ", ", ", False, False, True)
            scanner = c_make_scanner(json.JSONDecoder())
    except (ImportError, TypeError):  # a Python without the C accelerators
        pass
    _json_state.encoder, _json_state.scanner = encoder, scanner
    return encoder, scanner


def _dump_json(obj):
    encoder = _json_codec()[0]
    if encoder is None:
        return json.dumps(obj).encode("utf-8")
    try:
        return "".join(encoder(obj, 0)).encode("utf-8")
    except BaseException:
        # a failed encode can leave the encoder's circular-reference memo
        # dirty: the next call starts with a fresh encoder
        del _json_state.encoder
        raise


def _load_json(data, **kwargs):
    try:
        text = data.decode("utf-8") if type(data) is bytes else bytes(data).decode("utf-8")
    except UnicodeDecodeError as e:
        raise UTF8DecodeError(e.encoding, e.object, e.start, e.end,
                              f"recv_json: message is not utf-8 ({e.reason})") from None
    if not kwargs:
        scanner = _json_codec()[1]
        if scanner is not None:
            try:
                obj, end = scanner(text, 0)
                if end == len(text):
                    return obj
            except (StopIteration, json.JSONDecodeError):
                pass
            # leading/trailing whitespace or an error: the full decoder
            # decides, and words its error as json.loads would
    try:
        return json.loads(text, **kwargs)
    except json.JSONDecodeError as e:
        raise JSONDecodeError(f"recv_json: invalid JSON: {e.msg}", e.doc, e.pos) from None


def send_json(socket, obj, flags=0, **kwargs):
    """Send *obj* as one JSON message (utf-8). *kwargs* go to
    :func:`json.dumps`, except ``routing_id``/``group``, which go to send().
    An object JSON cannot encode raises before anything is sent."""
    if kwargs:
        send_kwargs = _split_send_kwargs(kwargs)
        data = json.dumps(obj, **kwargs).encode("utf-8") if kwargs else _dump_json(obj)
        return socket.send(data, flags, **send_kwargs)
    return socket.send(_dump_json(obj), flags)


def recv_json(socket, flags=0, **kwargs):
    """Receive one JSON message; *kwargs* go to :func:`json.loads`."""
    received = socket.recv(flags)
    if kwargs:
        return _deserialize(socket, received, lambda data: _load_json(data, **kwargs))
    return _deserialize(socket, received, _load_json)


# -- pickle -------------------------------------------------------------------------

_SIGNED_MAGIC = b"ZSP1"  # marks a signed pickle: magic, HMAC-SHA256, payload
_DIGEST_SIZE = hashlib.sha256().digest_size


class Signer:
    """Signs and checks pickles with HMAC-SHA256 and a shared secret *key*.

    ``dumps`` returns a signed pickle; ``loads`` unpickles it only if the
    signature matches, and otherwise raises :class:`SignatureError` without
    ever calling :func:`pickle.loads`.
    """

    def __init__(self, key, protocol=DEFAULT_PROTOCOL):
        if isinstance(key, str):
            key = key.encode("utf-8")
        if not isinstance(key, (bytes, bytearray)) or len(key) < 16:
            raise ValueError("a signing key must be bytes (or str) of at least 16 bytes")
        self._key = bytes(key)
        self.protocol = protocol

    def sign(self, payload):
        return _SIGNED_MAGIC + hmac.new(self._key, payload, hashlib.sha256).digest() + payload

    def verify(self, data):
        """The payload of a signed message, or SignatureError."""
        data = bytes(data)
        head = len(_SIGNED_MAGIC) + _DIGEST_SIZE
        if len(data) < head or not data.startswith(_SIGNED_MAGIC):
            raise SignatureError("recv_pyobj: message is not a signed pickle; refusing to load it")
        signature, payload = data[len(_SIGNED_MAGIC):head], data[head:]
        expected = hmac.new(self._key, payload, hashlib.sha256).digest()
        if not hmac.compare_digest(signature, expected):
            raise SignatureError("recv_pyobj: bad signature (wrong key or altered message);"
                                 " refusing to load it")
        return payload

    def dumps(self, obj):
        return self.sign(pickle.dumps(obj, self.protocol))

    def loads(self, data):
        return _load_pickle(self.verify(data))


def _pickle_error(e):
    """The error recv_pyobj raises for a pickle that failed to load with *e*."""
    return UnpicklingError(f"recv_pyobj: invalid pickle: {type(e).__name__}: {e}")


def _load_pickle(data):
    try:
        return pickle.loads(data)
    except Exception as e:
        raise _pickle_error(e) from None


def _signer(key):
    return key if isinstance(key, Signer) else Signer(key)


def send_pyobj(socket, obj, flags=0, protocol=DEFAULT_PROTOCOL, key=None, **kwargs):
    """Send *obj* pickled. With *key* (bytes, str or a :class:`Signer`) the
    pickle is signed, for ``recv_pyobj(key=...)``."""
    if key is None and not kwargs:
        return socket.send(pickle.dumps(obj, protocol), flags)
    data = pickle.dumps(obj, protocol)
    if key is not None:
        data = _signer(key).sign(data)
    return socket.send(data, flags, **kwargs)


def recv_pyobj(socket, flags=0, key=None):
    """Receive and unpickle one message. With *key*, only a pickle signed
    with it is loaded; anything else raises :class:`SignatureError`.

    .. warning:: without *key*, never use this on untrusted peers.
    """
    received = socket.recv(flags)
    if key is None:
        if type(received) is bytes:
            try:
                return pickle.loads(received)
            except Exception as e:
                # never load it a second time: unpickling runs code
                raise _pickle_error(e) from None
        return _deserialize(socket, received, _load_pickle)
    return _deserialize(socket, received, _signer(key).loads)


# -- any serializer -------------------------------------------------------------


def send_serialized(socket, msg, serialize, flags=0, copy=True, **kwargs):
    """Send ``serialize(msg)``, a list of frames, as one multipart message.
    *serialize* runs first: if it fails, nothing is sent."""
    frames = serialize(msg)
    return socket.send_multipart(frames, flags, copy, **kwargs)


def recv_serialized(socket, deserialize, flags=0, copy=True):
    """Receive a whole multipart message and return ``deserialize(frames)``."""
    return _deserialize(socket, socket.recv_multipart(flags, copy), deserialize)


# -- msgpack ---------------------------------------------------------------------


def _msgpack():
    try:
        import msgpack
    except ImportError:
        raise ImportError(
            "send_msgpack/recv_msgpack need msgpack: pip install zmq-serial[msgpack]"
        ) from None
    return msgpack


def send_msgpack(socket, obj, flags=0, **kwargs):
    """Send *obj* as msgpack; *kwargs* go to ``msgpack.packb``."""
    msgpack = _msgpack()
    send_kwargs = _split_send_kwargs(kwargs)
    return socket.send(msgpack.packb(obj, **kwargs), flags, **send_kwargs)


def recv_msgpack(socket, flags=0, **kwargs):
    """Receive one msgpack message; *kwargs* go to ``msgpack.unpackb``."""
    msgpack = _msgpack()

    def load(data):
        try:
            return msgpack.unpackb(data, **kwargs)
        except Exception as e:
            raise MsgpackDecodeError(f"recv_msgpack: invalid msgpack: {e}") from None

    return _deserialize(socket, socket.recv(flags), load)


# -- numpy arrays ------------------------------------------------------------------


_np = None


def _numpy():
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
_HEADERS = {}
_PARSED = {}
_CACHE_LIMIT = 256


def _array_header(np, array):
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


def send_array(socket, array, flags=0, copy=False, track=False, **kwargs):
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


def _parse_array_header(np, head):
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


def _load_array(frames):
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


def recv_array(socket, flags=0, copy=False):
    """Receive an array sent with :func:`send_array`. With ``copy=False``
    (the default) the array's data is the received message, not a copy. A
    bad header raises :class:`ArrayHeaderError` after the whole message was
    consumed."""
    return _deserialize(socket, socket.recv_multipart(flags, copy), _load_array)



__all__ = [
    "__version__",
    "ArrayHeaderError",
    "DecodeError",
    "JSONDecodeError",
    "MsgpackDecodeError",
    "SignatureError",
    "Signer",
    "UTF8DecodeError",
    "UnpicklingError",
    "recv_array",
    "recv_json",
    "recv_msgpack",
    "recv_pyobj",
    "recv_serialized",
    "send_array",
    "send_json",
    "send_msgpack",
    "send_pyobj",
    "send_serialized",
]
