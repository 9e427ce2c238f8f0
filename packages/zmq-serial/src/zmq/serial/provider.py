# SPDX-License-Identifier: BSD-3-Clause
"""zmq-serial as zmq-core's codec provider: the module its ``zmq.codecs``
entry point names (the protocol is in :mod:`zmq.core.codecs`)."""

import pickle

from zmq.serial import array, json, msgpack, serialized
from zmq.serial import pickle as pyobj

send_json, recv_json = json.send_json, json.recv_json
send_pyobj, recv_pyobj = pyobj.send_pyobj, pyobj.recv_pyobj
send_serialized, recv_serialized = serialized.send_serialized, serialized.recv_serialized
send_msgpack, recv_msgpack = msgpack.send_msgpack, msgpack.recv_msgpack
send_array, recv_array = array.send_array, array.recv_array

# the fast pickle path: what send_pyobj(obj)/recv_pyobj() do without options
pyobj_dumps = pickle.dumps  # pickle.DEFAULT_PROTOCOL, as send_pyobj
pyobj_loads = pickle.loads
pyobj_loads_error = pyobj.pickle_error
