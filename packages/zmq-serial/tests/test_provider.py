# SPDX-License-Identifier: BSD-3-Clause
"""zmq-serial reaches zmq-core's sockets through the codec hook only: its
``zmq.codecs`` entry point, loaded at the first serialisation call."""

import importlib.metadata
import pickle
import subprocess
import sys

import pytest

import zmq
from zmq.core import codecs


@pytest.fixture(autouse=True)
def unregister():
    yield
    codecs.register(None)  # back to the entry point: zmq-serial


def test_the_entry_point_names_zmq_serial():
    import zmq.serial.provider

    (ep,) = importlib.metadata.entry_points(group=codecs.GROUP)
    assert ep.dist.name == "zmq-serial"
    assert ep.load() is zmq.serial.provider
    codecs.register(None)
    assert codecs.get_provider() is zmq.serial.provider
    missing = [name for name in codecs.METHODS if not hasattr(zmq.serial.provider, name)]
    assert missing == []
    # its fast pickle path is pickle's own C functions
    assert zmq.serial.provider.pyobj_dumps is pickle.dumps
    assert zmq.serial.provider.pyobj_loads is pickle.loads


def test_import_zmq_loads_nothing_and_the_first_call_finds_zmq_serial():
    program = """
import sys
import zmq
assert "zmq.serial" not in sys.modules and "importlib.metadata" not in sys.modules
from zmq_testkit.sockets import connected_pair
ctx = zmq.Context()
a, b = connected_pair(ctx, zmq.PAIR, zmq.PAIR, "inproc")
b.send_pyobj({"first": 1})  # the fast path, from the very first call
assert "zmq.serial.provider" in sys.modules
assert a.recv_pyobj() == {"first": 1}
b.send_json([2])
assert a.recv_json() == [2]
ctx.destroy(linger=0)
print("ok")
"""
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "ok\n"


def test_a_program_provider_replaces_zmq_serial(pair_sockets):
    a, b = pair_sockets

    class Upper:
        @staticmethod
        def send_json(socket, obj, flags=0, **kwargs):
            return socket.send(str(obj).upper().encode(), flags)

    codecs.register(Upper)
    b.send_json("quiet")
    assert a.recv() == b"QUIET"
    with pytest.raises(ImportError, match="recv_json"):
        a.recv_json()
    codecs.register(None)
    b.send_json({"back": True})
    assert a.recv_json() == {"back": True}


class Recording(zmq.Socket):
    """A subclass overriding send: zmq-serial's functions go through it."""

    sent: list[bytes]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent = []

    def send(self, data, flags=0, copy=True, track=False, **kwargs):
        self.sent.append(bytes(data))
        return super().send(data, flags, copy, track, **kwargs)


def test_subclass_methods_use_its_send(ctx):
    a = ctx.socket(zmq.PAIR, socket_class=Recording)
    b = ctx.socket(zmq.PAIR, socket_class=Recording)
    for s in (a, b):
        s.linger = 0
        s.rcvtimeo = s.sndtimeo = 5000
    a.bind("inproc://subclass")
    b.connect("inproc://subclass")
    b.send_pyobj([1, 2])
    b.send_json({"j": 1})
    assert b.sent == [pickle.dumps([1, 2]), b'{"j": 1}']
    assert a.recv_pyobj() == [1, 2]
    assert a.recv_json() == {"j": 1}
    a.close()
    b.close()
