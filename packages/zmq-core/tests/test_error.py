# SPDX-License-Identifier: BSD-3-Clause
"""The exception family."""

import errno
import pickle

import pytest

import zmq
from zmq import error


def test_zmq_error_fields():
    e = zmq.ZMQError(zmq.EAGAIN)
    assert e.errno == zmq.EAGAIN
    assert e.strerror == zmq.strerror(zmq.EAGAIN)
    assert str(e) == e.strerror
    assert "ZMQError" in repr(e)
    assert isinstance(e, zmq.ZMQBaseError)
    custom = zmq.ZMQError(zmq.EINVAL, "custom message")
    assert custom.errno == zmq.EINVAL
    assert str(custom) == "custom message"
    text_only = zmq.ZMQError("just text")
    assert text_only.errno is None
    assert str(text_only) == "just text"


def test_subclasses():
    assert zmq.Again().errno == zmq.EAGAIN
    assert zmq.ContextTerminated().errno == zmq.ETERM
    assert zmq.InterruptedSystemCall().errno == errno.EINTR
    assert isinstance(zmq.InterruptedSystemCall(), InterruptedError)
    for cls in (zmq.Again, zmq.ContextTerminated, zmq.InterruptedSystemCall):
        assert issubclass(cls, zmq.ZMQError)
    assert issubclass(zmq.NotDone, zmq.ZMQBaseError)
    assert issubclass(zmq.ZMQBindError, zmq.ZMQBaseError)
    assert issubclass(zmq.ZMQVersionError, NotImplementedError)


def test_bindings_raise_the_subclasses(ctx):
    s = ctx.socket(zmq.PULL)
    with pytest.raises(zmq.Again):
        s.recv(zmq.NOBLOCK)
    s.close()


@pytest.mark.parametrize(
    "exc",
    [
        zmq.ZMQError(zmq.EINVAL),
        zmq.ZMQError(zmq.EINVAL, "with message"),
        zmq.Again(),
        zmq.ContextTerminated(),
        zmq.InterruptedSystemCall(),
        zmq.ZMQVersionError("9.9", "Time travel"),
    ],
)
def test_pickle_round_trip(exc):
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is type(exc)
    assert str(back) == str(exc)
    assert getattr(back, "errno", None) == getattr(exc, "errno", None)


def test_version_error():
    e = zmq.ZMQVersionError("9.9", "Time travel")
    assert "9.9" in str(e) and "Time travel" in str(e)
    with pytest.raises(zmq.ZMQVersionError):
        error._check_version((99, 0), "The future")
    error._check_version((4, 0), "The past")


def test_check_rc():
    error._check_rc(0)
    with pytest.raises(zmq.Again):
        error._check_rc(-1, errno=zmq.EAGAIN)
    with pytest.raises(zmq.ContextTerminated):
        error._check_rc(-1, errno=zmq.ETERM)
    with pytest.raises(zmq.ZMQError) as info:
        error._check_rc(-1, errno=zmq.EFSM)
    assert info.value.errno == zmq.EFSM
