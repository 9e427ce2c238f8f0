# SPDX-License-Identifier: BSD-3-Clause
"""LogReceiver.start() in a program that ran gevent.monkey.patch_all()
first: its receiving thread stays an OS thread (as a greenlet, each of its
waits in libzmq blocked every other greenlet), so records are re-emitted
from another OS thread than the main one, while a ticker keeps ticking."""

import importlib.util

import pytest
from zmq_testkit import run_green

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gevent") is None, reason="needs gevent"
)

PROGRAM = r"""
import logging
import time

import gevent
import zmq
from zmq.core.osthread import get_ident
from zmq.log.handlers import LogReceiver, PUBHandler

class Seen(logging.Handler):
    def __init__(self):
        super().__init__()
        self.idents = []

    def emit(self, record):
        self.idents.append(get_ident())


ctx = zmq.Context()
pub = ctx.socket(zmq.PUB)
pub.linger = 0
port = pub.bind_to_random_port("tcp://127.0.0.1")
handler = PUBHandler(pub)
sender = logging.getLogger("sender")
sender.propagate = False
sender.addHandler(handler)
sink = logging.getLogger("sink")
sink.propagate = False
seen = Seen()
sink.addHandler(seen)
receiver = LogReceiver("tcp://127.0.0.1:%d" % port, context=ctx, logger=sink)
receiver.start()
deadline = time.monotonic() + 20
# the subscription travels after connecting: publish until one arrives
while not seen.idents:
    assert time.monotonic() < deadline, "no record arrived"
    sender.warning("hello %s", "x" * 100_000)
    gevent.sleep(0.01)
finish()  # idle, the receiver's thread waiting
receiver.close()
handler.close()
pub.close()
assert get_ident() not in seen.idents, "records were re-emitted by the main OS thread"
ctx.term()
"""


@pytest.mark.timeout(90)
def test_log_receiver_after_patch_all():
    assert run_green(PROGRAM) == []
