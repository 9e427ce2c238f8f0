# SPDX-License-Identifier: BSD-3-Clause
"""JSON messages: send_json and recv_json (utf-8 text)."""

import json
import threading
from collections.abc import Callable
from typing import Any

import zmq
from zmq.serial._transport import decode_received, split_send_kwargs
from zmq.serial.errors import JSONDecodeError, UTF8DecodeError

# json.dumps/json.loads build a new C encoder or go through Python-level
# checks on every call; with default settings the output is the same when
# the C encoder and scanner are made once (per thread, since the encoder's
# circular-reference memo must not be shared) and called directly.
_json_state = threading.local()

_Encoder = Callable[[Any, int], Any]
_Scanner = Callable[[str, int], tuple[Any, int]]


def _json_codec() -> tuple[_Encoder | None, _Scanner | None]:
    try:
        return _json_state.encoder, _json_state.scanner
    except AttributeError:
        pass
    encoder = scanner = None
    try:
        from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
        from json.scanner import c_make_scanner  # type: ignore[attr-defined]

        if c_make_encoder is not None and c_make_scanner is not None:
            plain = json.JSONEncoder()
            encoder = c_make_encoder({}, plain.default, encode_basestring_ascii, None,
                                     ": ", ", ", False, False, True)
            scanner = c_make_scanner(json.JSONDecoder())
    except (ImportError, TypeError):  # a Python without the C accelerators
        pass
    _json_state.encoder, _json_state.scanner = encoder, scanner
    return encoder, scanner


def _dump_json(obj: Any) -> bytes:
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


def _load_json(data: Any, **kwargs: Any) -> Any:
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


def send_json(socket: zmq.Socket, obj: Any, flags: int = 0, **kwargs: Any) -> Any:
    """Send *obj* as one JSON message (utf-8). *kwargs* go to
    :func:`json.dumps`, except ``routing_id``/``group``, which go to send().
    An object JSON cannot encode raises before anything is sent."""
    if kwargs:
        send_kwargs = split_send_kwargs(kwargs)
        data = json.dumps(obj, **kwargs).encode("utf-8") if kwargs else _dump_json(obj)
        return socket.send(data, flags, **send_kwargs)
    return socket.send(_dump_json(obj), flags)


def recv_json(socket: zmq.Socket, flags: int = 0, **kwargs: Any) -> Any:
    """Receive one JSON message; *kwargs* go to :func:`json.loads`."""
    received = socket.recv(flags)
    if kwargs:
        return decode_received(socket, received, lambda data: _load_json(data, **kwargs))
    return decode_received(socket, received, _load_json)


__all__ = ["recv_json", "send_json"]
