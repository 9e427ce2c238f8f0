# SPDX-License-Identifier: BSD-3-Clause
"""With zmq-core alone, the serialisation methods and the modules other
distributions ship say what to install."""

import importlib
import subprocess
import sys

import pytest

import zmq


def _installed(module):
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


pytestmark = pytest.mark.skipif(
    _installed("zmq.serial"),
    reason="zmq-serial is installed here; its own tests cover these methods",
)


@pytest.mark.parametrize(
    "module, dist",
    [
        ("zmq.asyncio", "zmq-eventloop"),
        ("zmq.eventloop.zmqstream", "zmq-eventloop"),
        ("zmq.log.handlers", "zmq-log"),
        ("zmq.devices", "zmq-devices"),
        ("zmq.utils.jsonapi", "zmq-serial"),
        ("zmq.auth.thread", "zmq-auth"),
        ("zmq.green", "zmq-green"),
    ],
)
def test_modules_of_other_distributions_name_them(module, dist):
    if _installed(module):
        pytest.skip(f"{dist} is installed here")
    # in a fresh interpreter: the message must not depend on import order
    run = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: ") and f"pip install {dist}" in last, last


def test_pyzmq_private_future_module_says_no_distribution_ships_it():
    # PyZMQ's zmq._future has no counterpart here: naming a distribution to
    # install would send the user to one that does not have it either
    with pytest.raises(ModuleNotFoundError) as info:
        importlib.import_module("zmq._future")
    message = str(info.value)
    assert "no distribution of this project ships" in message, message
    assert "zmq.asyncio" in message and "part of" not in message, message


def test_unknown_zmq_modules_are_plain_import_errors():
    with pytest.raises(ModuleNotFoundError) as info:
        importlib.import_module("zmq.no_such_module")
    assert "pip install" not in str(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.send_json({"a": 1}),
        lambda s: s.recv_json(),
        lambda s: s.send_pyobj(1),
        lambda s: s.recv_pyobj(),
        lambda s: s.send_serialized(1, lambda m: [b"x"]),
        lambda s: s.recv_serialized(lambda f: f),
        lambda s: s.send_msgpack(1),
        lambda s: s.recv_msgpack(),
        lambda s: s.send_array(b"x"),
        lambda s: s.recv_array(),
    ],
)
def test_serialisation_methods_name_the_distribution(ctx, call):
    s = ctx.socket(zmq.PAIR)
    s.linger = 0
    with pytest.raises(ImportError, match="pip install zmq-serial"):
        call(s)
    s.close()
