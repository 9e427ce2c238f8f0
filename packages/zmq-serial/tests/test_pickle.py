# SPDX-License-Identifier: BSD-3-Clause
"""send_pyobj/recv_pyobj, plain and signed."""

import pickle

import pytest

import zmq
from zmq.serial import SignatureError, Signer, UnpicklingError

KEY = b"a shared secret of 32 bytes....."


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return (self.x, self.y) == (other.x, other.y)


def test_round_trip(pair_sockets):
    a, b = pair_sockets
    obj = {"p": Point(1, 2), "t": (1, "two", 3.0), "b": b"bytes"}
    b.send_pyobj(obj)
    assert a.recv_pyobj() == obj
    b.send_pyobj([1], protocol=2)
    raw = a.recv()
    assert raw[:2] == b"\x80\x02"  # protocol 2 header
    b.send_pyobj("default protocol")
    assert a.recv()[1] == pickle.DEFAULT_PROTOCOL


def test_unpicklable_raises_before_sending(pair_sockets):
    a, b = pair_sockets
    with pytest.raises((TypeError, AttributeError, pickle.PicklingError)):
        b.send_pyobj(lambda: None)
    assert a.poll(50) == 0


def test_invalid_pickle_is_a_clear_error(pair_sockets):
    a, b = pair_sockets
    b.send(b"not a pickle")
    with pytest.raises(UnpicklingError, match="recv_pyobj"):
        a.recv_pyobj()
    b.send_pyobj(1)
    assert a.recv_pyobj() == 1


def test_signed_round_trip(pair_sockets):
    a, b = pair_sockets
    b.send_pyobj(Point(3, 4), key=KEY)
    assert a.recv_pyobj(key=KEY) == Point(3, 4)
    signer = Signer(KEY.decode())
    b.send_pyobj({"x": 1}, key=signer)
    assert a.recv_pyobj(key=signer) == {"x": 1}
    assert signer.loads(signer.dumps([1, 2])) == [1, 2]


class Boom:
    """Unpickling this would run code: it must never happen."""

    def __reduce__(self):
        return (exec, ("raise SystemExit('unpickled an unsigned message')",))


def test_receiver_refuses_unsigned_or_wrongly_signed(pair_sockets, monkeypatch):
    a, b = pair_sockets
    calls = []
    real_loads = pickle.loads
    monkeypatch.setattr(pickle, "loads", lambda *args, **kw: calls.append(1) or real_loads(*args))
    b.send_pyobj(Boom())  # unsigned
    with pytest.raises(SignatureError):
        a.recv_pyobj(key=KEY)
    b.send_pyobj(Boom(), key=b"another key, also 32 bytes long.")
    with pytest.raises(SignatureError, match="bad signature"):
        a.recv_pyobj(key=KEY)
    # a signed message altered in transit
    signed = Signer(KEY).dumps("genuine")
    b.send(signed[:-1] + bytes([signed[-1] ^ 1]))
    with pytest.raises(SignatureError):
        a.recv_pyobj(key=KEY)
    assert calls == []  # pickle.loads never ran
    b.send(b"")
    with pytest.raises(SignatureError):
        a.recv_pyobj(key=KEY)


def test_weak_keys_are_refused():
    with pytest.raises(ValueError):
        Signer(b"short")
    with pytest.raises(ValueError):
        Signer(12345)


def test_noblock(pair_sockets):
    a, _ = pair_sockets
    with pytest.raises(zmq.Again):
        a.recv_pyobj(zmq.NOBLOCK)


_LOADS = []


def _count_a_load():
    _LOADS.append(1)
    raise ValueError("this pickle fails after running code")


class _SideEffect:
    def __reduce__(self):
        return (_count_a_load, ())


@pytest.mark.parametrize("fast", [True, False])
def test_failing_pickle_is_loaded_once(pair_sockets, fast):
    a, b = pair_sockets
    b.send(pickle.dumps(_SideEffect()))
    _LOADS.clear()
    with pytest.raises(UnpicklingError, match="recv_pyobj"):
        if fast:
            a.recv_pyobj()  # zmq-core's path, with zmq-serial's codec
        else:
            zmq.serial.recv_pyobj(a)
    assert len(_LOADS) == 1


def test_pickle_paths_on_a_closed_socket_raise_enotsock(pair_sockets):
    a, b = pair_sockets
    b.close()
    for call in (lambda: b.send_pyobj(1), lambda: b.recv_pyobj()):
        with pytest.raises(zmq.ZMQError) as info:
            call()
        assert info.value.errno == zmq.ENOTSOCK
