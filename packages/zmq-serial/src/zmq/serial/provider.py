# SPDX-License-Identifier: BSD-3-Clause
"""zmq-serial as zmq-core's codec provider: the module its ``zmq.codecs``
entry point names (the protocol is in :mod:`zmq.core.codecs`)."""

import pickle

from zmq.serial import (
    _pickle_error,
    recv_array,
    recv_json,
    recv_msgpack,
    recv_pyobj,
    recv_serialized,
    send_array,
    send_json,
    send_msgpack,
    send_pyobj,
    send_serialized,
)

# the fast pickle path: what send_pyobj(obj)/recv_pyobj() do without options
pyobj_dumps = pickle.dumps  # pickle.DEFAULT_PROTOCOL, as send_pyobj
pyobj_loads = pickle.loads
pyobj_loads_error = _pickle_error

__all__ = [
    "pyobj_dumps",
    "pyobj_loads",
    "pyobj_loads_error",
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
