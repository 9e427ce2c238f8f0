# SPDX-License-Identifier: BSD-3-Clause
"""Every name and import path of PyZMQ 27's zmq.green."""

import importlib
import subprocess
import sys

import pytest

import zmq
import zmq.green


def test_every_zmq_name_is_here():
    for name in zmq.__all__:
        assert hasattr(zmq.green, name), name
        assert name in zmq.green.__all__
    # PyZMQ's zmq.__all__ (so its zmq.green) has these too
    assert zmq.green._FINISHED_TRACKER is zmq._FINISHED_TRACKER
    assert zmq.green.__revision__ == zmq.__revision__


@pytest.mark.parametrize("name", ["RCVTIMEO", "PUSH", "zmq_version_info", "SocketOption",
                                  "ZMQError", "Again", "Frame", "proxy_steerable"])
def test_plain_names_are_zmqs(name):
    assert getattr(zmq.green, name) is getattr(zmq, name)


@pytest.mark.parametrize("name", ["Context", "Socket", "Poller", "device", "proxy", "select",
                                  "zmq_poll"])
def test_green_replacements(name):
    assert getattr(zmq.green, name) is not getattr(zmq, name)


def test_green_classes_are_zmq_core_subclasses():
    assert issubclass(zmq.green.Socket, zmq.Socket)
    assert issubclass(zmq.green.Context, zmq.Context)
    assert issubclass(zmq.green.Poller, zmq.Poller)


@pytest.mark.parametrize(
    "module, names",
    [
        ("zmq.green.core", ["_Socket", "_Context", "Socket", "Context"]),
        ("zmq.green.poll", ["_Poller", "Poller"]),
        ("zmq.green.device", ["device"]),
        ("zmq.green.eventloop", ["IOLoop"]),
        ("zmq.green.eventloop.ioloop", ["IOLoop"]),
        ("zmq.green.eventloop.zmqstream", ["ZMQStream"]),
    ],
)
def test_pyzmq_module_paths(module, names):
    mod = importlib.import_module(module)
    for name in names:
        assert hasattr(mod, name), f"{module}.{name}"


def test_core_names_are_the_green_classes():
    from zmq.green.core import _Context, _Socket
    from zmq.green.poll import _Poller

    assert (_Socket, _Context, _Poller) == (zmq.green.Socket, zmq.green.Context,
                                           zmq.green.Poller)


def test_eventloop_without_zmq_eventloop_names_the_distribution():
    # a blocked zmq.eventloop stands in for zmq-eventloop not being installed
    code = (
        "import sys; sys.modules['zmq.eventloop'] = None\n"
        "try:\n"
        "    import zmq.green.eventloop.zmqstream\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert "pip install zmq-eventloop" in out.stdout, out.stdout + out.stderr
    # zmq.green itself does not need it
    code = "import sys; sys.modules['zmq.eventloop'] = None; import zmq.green; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.strip() == "ok", out.stderr
