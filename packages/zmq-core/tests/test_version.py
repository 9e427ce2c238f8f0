# SPDX-License-Identifier: BSD-3-Clause
"""Version and library information."""

import os

import pytest
from conftest import VARIANT

import zmq


def test_zmq_version():
    info = zmq.zmq_version_info()
    assert isinstance(info, tuple) and len(info) == 3
    assert all(isinstance(v, int) for v in info)
    assert zmq.zmq_version() == ".".join(str(v) for v in info)
    assert info >= (4, 3, 0)


def test_pyzmq_api_level():
    assert zmq.pyzmq_version().startswith("27.")
    assert zmq.pyzmq_version_info()[:2] == (27, 2)
    assert zmq.__version__ == zmq.pyzmq_version()
    # zmq-core's own release is separate
    assert zmq.core.__version__.count(".") == 2


def test_has():
    assert zmq.has("ipc") is True
    assert zmq.has("curve") is True  # both builds link libsodium
    assert zmq.has("no-such-capability") is False
    assert isinstance(zmq.has("draft"), bool)
    with pytest.raises(TypeError):
        zmq.has(1)


def test_draft_api_flag_matches_build():
    if VARIANT == "draft":
        assert zmq.DRAFT_API is True
    elif VARIANT == "system":
        assert zmq.DRAFT_API is False
    else:
        assert zmq.DRAFT_API == zmq.has("draft")


def test_get_includes_and_library_dirs():
    includes = zmq.get_includes()
    assert all(os.path.isdir(d) for d in includes)
    # the folder holding zmq/ (for cimport), zmq_compat.h and libzmq's zmq.h
    assert any(os.path.exists(os.path.join(d, "zmq", "__init__.pxd")) for d in includes)
    assert any(os.path.exists(os.path.join(d, "zmq_compat.h")) for d in includes)
    assert any(os.path.exists(os.path.join(d, "zmq.h")) for d in includes)
    libdirs = zmq.get_library_dirs()
    assert any(
        f.startswith("libzmq.so") for d in libdirs if os.path.isdir(d) for f in os.listdir(d)
    )


def test_strerror_and_errno():
    assert zmq.strerror(zmq.EAGAIN) == os.strerror(zmq.EAGAIN)
    assert "terminated" in zmq.strerror(zmq.ETERM).lower()
    assert isinstance(zmq.zmq_errno(), int)


def test_public_names():
    for name in [
        "Context", "Socket", "Frame", "Message", "MessageTracker", "Poller",
        "select", "zmq_poll", "proxy", "proxy_steerable", "device",
        "ZMQError", "Again", "ContextTerminated", "InterruptedSystemCall",
        "ZMQBindError", "ZMQVersionError", "NotDone", "ZMQBaseError",
        "COPY_THRESHOLD", "DRAFT_API", "curve_keypair", "curve_public",
        "IPC_PATH_MAX_LEN",
    ]:
        assert hasattr(zmq, name), name
        assert name in zmq.__all__, name
    from zmq import constants, error

    assert error.ZMQError is zmq.ZMQError
    assert constants.SocketType.PUSH is zmq.PUSH


def test_star_import_lists_every_constant_and_error_once():
    # zmq.__all__ names the errors one by one (so type checkers see them):
    # it must stay in step with zmq.error's and zmq.constants' lists
    from zmq import constants, error

    assert len(zmq.__all__) == len(set(zmq.__all__))
    assert set(error.__all__) <= set(zmq.__all__)
    assert set(constants.__all__) <= set(zmq.__all__)
    namespace = {}
    exec("from zmq import *", namespace)
    assert namespace["ZMQVersionError"] is error.ZMQVersionError
    assert namespace["PULL"] is zmq.PULL
