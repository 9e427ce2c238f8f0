# SPDX-License-Identifier: BSD-3-Clause
"""Pickled messages: send_pyobj and recv_pyobj, plain or signed (Signer).

.. warning::
   Unpickling runs code chosen by the sender: plain ``recv_pyobj`` is for
   trusted peers only; with a *key*, only pickles signed with it are loaded.
"""

import pickle
from typing import Any

import zmq
from zmq.serial._transport import decode_received
from zmq.serial.errors import SignatureError, UnpicklingError

DEFAULT_PROTOCOL = pickle.DEFAULT_PROTOCOL

_SIGNED_MAGIC = b"ZSP1"  # marks a signed pickle: magic, HMAC-SHA256, payload
_DIGEST_SIZE = 32  # of SHA-256


class Signer:
    """Signs and checks pickles with HMAC-SHA256 and a shared secret *key*.

    ``dumps`` returns a signed pickle; ``loads`` unpickles it only if the
    signature matches, and otherwise raises :class:`SignatureError` without
    ever calling :func:`pickle.loads`.
    """

    def __init__(self, key: bytes | bytearray | str, protocol: int = DEFAULT_PROTOCOL) -> None:
        if isinstance(key, str):
            key = key.encode("utf-8")
        if not isinstance(key, (bytes, bytearray)) or len(key) < 16:
            raise ValueError("a signing key must be bytes (or str) of at least 16 bytes")
        self._key = bytes(key)
        self.protocol = protocol

    def sign(self, payload: bytes) -> bytes:
        """*payload* (a pickle) with the marker and its signature in front."""
        return _SIGNED_MAGIC + _digest(self._key, payload) + payload

    def verify(self, data: Any) -> bytes:
        """The payload of a signed message, or SignatureError."""
        raw = bytes(data)
        head = len(_SIGNED_MAGIC) + _DIGEST_SIZE
        if len(raw) < head or not raw.startswith(_SIGNED_MAGIC):
            raise SignatureError("recv_pyobj: message is not a signed pickle; refusing to load it")
        signature, payload = raw[len(_SIGNED_MAGIC):head], raw[head:]
        from hmac import compare_digest

        if not compare_digest(signature, _digest(self._key, payload)):
            raise SignatureError("recv_pyobj: bad signature (wrong key or altered message);"
                                 " refusing to load it")
        return payload

    def dumps(self, obj: Any) -> bytes:
        """*obj* pickled and signed."""
        return self.sign(pickle.dumps(obj, self.protocol))

    def loads(self, data: Any) -> Any:
        """The object in a signed pickle, loaded only if the signature matches."""
        return _load_pickle(self.verify(data))


def _digest(key: bytes, payload: bytes) -> bytes:
    # imported at the first signature: `import zmq.serial` stays cheap
    import hashlib
    import hmac

    return hmac.new(key, payload, hashlib.sha256).digest()


def pickle_error(e: Exception) -> UnpicklingError:
    """The error recv_pyobj raises for a pickle that failed to load with *e*."""
    return UnpicklingError(f"recv_pyobj: invalid pickle: {type(e).__name__}: {e}")


def _load_pickle(data: Any) -> Any:
    try:
        return pickle.loads(data)
    except Exception as e:
        raise pickle_error(e) from None


def _signer(key: "Signer | bytes | bytearray | str") -> Signer:
    return key if isinstance(key, Signer) else Signer(key)


def send_pyobj(socket: zmq.Socket, obj: Any, flags: int = 0, protocol: int = DEFAULT_PROTOCOL,
               key: "Signer | bytes | bytearray | str | None" = None, **kwargs: Any) -> Any:
    """Send *obj* pickled. With *key* (bytes, str or a :class:`Signer`) the
    pickle is signed, for ``recv_pyobj(key=...)``."""
    if key is None and not kwargs:
        return socket.send(pickle.dumps(obj, protocol), flags)
    data = pickle.dumps(obj, protocol)
    if key is not None:
        data = _signer(key).sign(data)
    return socket.send(data, flags, **kwargs)


def recv_pyobj(socket: zmq.Socket, flags: int = 0,
               key: "Signer | bytes | bytearray | str | None" = None) -> Any:
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
                raise pickle_error(e) from None
        return decode_received(socket, received, _load_pickle)
    return decode_received(socket, received, _signer(key).loads)


__all__ = ["DEFAULT_PROTOCOL", "Signer", "recv_pyobj", "send_pyobj"]
