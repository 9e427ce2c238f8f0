# SPDX-License-Identifier: BSD-3-Clause
"""The errors of a message that could not be decoded, one class per codec."""

import json
import pickle


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


__all__ = [
    "ArrayHeaderError",
    "DecodeError",
    "JSONDecodeError",
    "MsgpackDecodeError",
    "SignatureError",
    "UTF8DecodeError",
    "UnpicklingError",
]
