# SPDX-License-Identifier: BSD-3-Clause
"""ThreadAuthenticator in a program that ran gevent.monkey.patch_all()
first: its thread and its callback workers stay OS threads (as greenlets,
their waits would freeze the program's greenlets), CURVE handshakes between
zmq.green sockets are authenticated, with a synchronous credentials callback,
and a ticker greenlet keeps ticking throughout."""

import importlib.util

import pytest
from zmq_testkit import run_green

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gevent") is None, reason="needs gevent"
)

PROGRAM = r"""
import time

import zmq.green as zmq
from zmq.auth.thread import ThreadAuthenticator
from zmq.core.osthread import get_ident

ctx = zmq.Context()
auth = ThreadAuthenticator(ctx)
auth.start()
server_public, server_secret = zmq.curve_keypair()
client_public, client_secret = zmq.curve_keypair()
checked = []


def provider(domain, key):
    # a synchronous callback: runs on one of the callback workers
    checked.append(get_ident())
    time.sleep(0.2)  # a slow check; under patching this sleep is gevent's
    return key == client_public  # the z85 text of the public key


class Provider:
    def callback(self, domain, key):
        return provider(domain, key)


auth.configure_curve_callback("*", credentials_provider=Provider())
server = ctx.socket(zmq.PULL)
server.curve_server = True
server.curve_publickey, server.curve_secretkey = server_public, server_secret
server.linger = 0
server.rcvtimeo = 10000
port = server.bind_to_random_port("tcp://127.0.0.1")
client = ctx.socket(zmq.PUSH)
client.curve_serverkey = server_public
client.curve_publickey, client.curve_secretkey = client_public, client_secret
client.linger = 0
client.connect("tcp://127.0.0.1:%d" % port)
client.send(b"x" * 100_000)
assert server.recv() == b"x" * 100_000
main = get_ident()
assert auth.thread.ident != main, "the auth thread runs in the main OS thread"
assert checked and all(ident not in (main, auth.thread.ident) for ident in checked), checked
finish()  # idle, the auth thread and its callback worker waiting
auth.stop()
assert not auth.is_alive()
client.close()
server.close()
ctx.term()
"""


@pytest.mark.timeout(90)
def test_thread_authenticator_after_patch_all():
    assert run_green(PROGRAM) == []
