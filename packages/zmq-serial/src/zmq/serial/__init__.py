# SPDX-License-Identifier: BSD-3-Clause
"""Serialisation for zmq sockets (the zmq-serial distribution).

With this installed, ``zmq.Socket`` methods such as ``send_json`` and
``recv_pyobj`` work: zmq-core's Socket forwards them to the functions here,
which take the socket as their first argument (zmq-serial is the codec
provider that its ``zmq.codecs`` entry point names, ``zmq.serial.provider``;
see :mod:`zmq.core.codecs`). The functions also accept asyncio/Tornado
sockets, whose ``recv`` returns an awaitable: the decoding then happens when
it completes.

One module per codec: :mod:`zmq.serial.json`, :mod:`zmq.serial.pickle`
(with :class:`Signer`), :mod:`zmq.serial.msgpack`, :mod:`zmq.serial.array`,
:mod:`zmq.serial.serialized` (any serializer), and :mod:`zmq.serial.errors`.

.. warning::
   Unpickling runs code chosen by the sender. Never use plain
   ``recv_pyobj`` (or ``PICKLE``) on messages from peers you do not trust;
   sign pickles with a shared key instead (``send_pyobj(obj, key=...)`` and
   ``recv_pyobj(key=...)``, or a :class:`Signer`), or use JSON or msgpack.
"""

from zmq.serial._version import __version__
from zmq.serial.array import recv_array, send_array
from zmq.serial.errors import (
    ArrayHeaderError,
    DecodeError,
    JSONDecodeError,
    MsgpackDecodeError,
    SignatureError,
    UnpicklingError,
    UTF8DecodeError,
)
from zmq.serial.json import recv_json, send_json
from zmq.serial.msgpack import recv_msgpack, send_msgpack
from zmq.serial.pickle import DEFAULT_PROTOCOL as DEFAULT_PROTOCOL  # send_pyobj's default
from zmq.serial.pickle import Signer, recv_pyobj, send_pyobj
from zmq.serial.serialized import recv_serialized, send_serialized

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
