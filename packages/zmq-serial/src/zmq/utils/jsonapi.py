# SPDX-License-Identifier: BSD-3-Clause
"""JSON to and from utf-8 bytes, as ``zmq.utils.jsonapi`` (shipped by zmq-serial)."""

import json
from typing import Any

jsonmod = json


def dumps(o: Any, **kwargs: Any) -> bytes:
    """*o* as JSON, encoded to utf-8 bytes; *kwargs* go to :func:`json.dumps`."""
    return json.dumps(o, **kwargs).encode("utf-8")


def loads(s: "str | bytes | bytearray | memoryview", **kwargs: Any) -> Any:
    """The object in JSON bytes (utf-8) or str; *kwargs* go to :func:`json.loads`."""
    if isinstance(s, (bytes, bytearray, memoryview)):
        s = bytes(s).decode("utf-8")
    return json.loads(s, **kwargs)


__all__ = ["dumps", "loads"]
