# SPDX-License-Identifier: BSD-3-Clause
"""Background devices in a program that ran gevent.monkey.patch_all()
first: the device's thread stays an OS thread (as a greenlet, the proxy's
wait inside libzmq froze every greenlet), so zmq.green clients talk through
a ThreadProxy, and a MonitoredQueue, while a ticker greenlet keeps ticking."""

import importlib.util

import pytest
from zmq_testkit import run_green

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gevent") is None, reason="needs gevent"
)

PROGRAM = r"""
import zmq.green as zmq
from zmq.core.osthread import get_ident
from zmq.devices import ThreadMonitoredQueue, ThreadProxy

ctx = zmq.Context.instance()
devices = []
for make in (lambda: ThreadProxy(zmq.PULL, zmq.PUSH),
             lambda: ThreadMonitoredQueue(zmq.PULL, zmq.PUSH, zmq.PUB)):
    device = make()
    devices.append(device)
    in_port = device.bind_in_to_random_port("tcp://127.0.0.1")
    out_port = device.bind_out_to_random_port("tcp://127.0.0.1")
    device.start()
    assert device.launcher.ident != get_ident(), "the device runs in the main OS thread"
    push = ctx.socket(zmq.PUSH)
    pull = ctx.socket(zmq.PULL)
    for s in (push, pull):
        s.linger = 0
        s.rcvtimeo = s.sndtimeo = 10000
    push.connect("tcp://127.0.0.1:%d" % in_port)
    pull.connect("tcp://127.0.0.1:%d" % out_port)
    for size in (100_000, 4 * 1024 * 1024):
        payload = b"d" * size
        push.send(payload, copy=False)
        assert pull.recv() == payload
    push.close()
    pull.close()
finish()  # idle, both devices waiting in libzmq
for device in devices:
    device.stop()
    device.join(10)
    assert not device.launcher.is_alive()
"""


@pytest.mark.timeout(90)
def test_thread_devices_after_patch_all():
    assert run_green(PROGRAM) == []
