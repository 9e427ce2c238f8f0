# SPDX-License-Identifier: BSD-3-Clause
"""Z85 encoding (ZeroMQ RFC 32), as ``zmq.utils.z85.encode``/``decode``.

Both run in libzmq's C implementation.
"""

from zmq.core.utils import z85_decode as decode
from zmq.core.utils import z85_encode as encode

# The 85 characters of the alphabet, in digit order (RFC 32), and each
# character's digit value: for code that inspects or validates Z85 text.
Z85CHARS = (
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    b".-:+=^!/*?&<>()[]{}@%$#"
)
Z85MAP = {char: value for value, char in enumerate(Z85CHARS)}

__all__ = ["encode", "decode", "Z85CHARS", "Z85MAP"]
