# SPDX-License-Identifier: BSD-3-Clause
"""send_serialized/recv_serialized, msgpack, and the zmq-core hand-off."""

import pytest

import zmq
import zmq.serial
from zmq.serial import MsgpackDecodeError


def serialize(msg):
    return [msg["kind"].encode(), str(msg["n"]).encode()]


def deserialize(frames):
    kind, n = (bytes(f) for f in frames)
    return {"kind": kind.decode(), "n": int(n)}


def test_custom_serializer(pair_sockets):
    a, b = pair_sockets
    b.send_serialized({"kind": "tick", "n": 7}, serialize)
    assert a.recv_serialized(deserialize) == {"kind": "tick", "n": 7}
    b.send_serialized({"kind": "frames", "n": 8}, serialize, copy=False)
    assert a.recv_serialized(deserialize, copy=False) == {"kind": "frames", "n": 8}


def test_failing_serializer_sends_nothing(pair_sockets):
    a, b = pair_sockets
    with pytest.raises(KeyError):
        b.send_serialized({"n": 1}, serialize)
    with pytest.raises(TypeError):
        b.send_serialized("x", lambda m: [b"ok", 42])  # a bad frame: nothing sent
    assert a.poll(50) == 0


def test_failing_deserializer_consumes_the_whole_message(pair_sockets):
    a, b = pair_sockets
    b.send_multipart([b"tick", b"not a number"])
    with pytest.raises(ValueError):
        a.recv_serialized(deserialize)
    b.send_serialized({"kind": "ok", "n": 1}, serialize)
    assert a.recv_serialized(deserialize) == {"kind": "ok", "n": 1}


def test_msgpack(pair_sockets):
    msgpack = pytest.importorskip("msgpack")
    a, b = pair_sockets
    obj = {"a": [1, 2, {"b": b"bytes"}], "f": 1.5}
    b.send_msgpack(obj)
    assert a.recv_msgpack() == obj
    b.send_msgpack([1, 2], use_bin_type=True)
    assert a.recv_msgpack(use_list=False) == (1, 2)
    b.send(b"\xc1")  # never used in msgpack
    with pytest.raises(MsgpackDecodeError, match="recv_msgpack"):
        a.recv_msgpack()
    with pytest.raises(TypeError):
        b.send_msgpack({"x": object()})
    assert a.poll(50) == 0
    assert msgpack.unpackb(msgpack.packb(1)) == 1


def test_msgpack_missing_is_a_clear_import_error(pair_sockets, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_msgpack(name, *args, **kwargs):
        if name == "msgpack":
            raise ImportError("no msgpack here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_msgpack)
    _, b = pair_sockets
    with pytest.raises(ImportError, match=r"zmq-serial\[msgpack\]"):
        b.send_msgpack({})


def test_methods_come_from_zmq_serial():
    assert zmq.Socket.send_json.__doc__
    assert zmq.serial.__version__.count(".") == 2
