# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.utils.strtypes``: str/bytes helpers from Python 2 days.

Kept so old programs import; the helpers warn (DeprecationWarning), as in
PyZMQ since release 23. Use ``str.encode`` / ``bytes.decode`` instead.
"""

import warnings
from typing import Any

bytes = bytes
unicode = str
basestring = (str,)


def _deprecated() -> None:
    warnings.warn(
        "zmq.utils.strtypes is deprecated; use str.encode() and bytes.decode()",
        DeprecationWarning,
        stacklevel=3,
    )


def cast_bytes(s: Any, encoding: str = "utf8", errors: str = "strict") -> Any:
    """*s* as bytes: str is encoded, bytes returned as they are."""
    _deprecated()
    if isinstance(s, bytes):
        return s
    if isinstance(s, str):
        return s.encode(encoding, errors)
    raise TypeError(f"expected str or bytes, not {type(s).__name__}")


def cast_unicode(s: Any, encoding: str = "utf8", errors: str = "strict") -> Any:
    """*s* as str: bytes are decoded, str returned as it is."""
    _deprecated()
    if isinstance(s, bytes):
        return s.decode(encoding, errors)
    if isinstance(s, str):
        return s
    raise TypeError(f"expected str or bytes, not {type(s).__name__}")


b = asbytes = cast_bytes
u = cast_unicode

__all__ = ["asbytes", "bytes", "unicode", "basestring", "b", "u", "cast_bytes", "cast_unicode"]
