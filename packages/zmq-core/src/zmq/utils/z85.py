# SPDX-License-Identifier: BSD-3-Clause
"""Z85 encoding (ZeroMQ RFC 32), as ``zmq.utils.z85.encode``/``decode``.

Both run in libzmq's C implementation.
"""

from zmq.core.utils import z85_decode as decode
from zmq.core.utils import z85_encode as encode

__all__ = ["encode", "decode"]
