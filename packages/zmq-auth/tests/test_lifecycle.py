# SPDX-License-Identifier: BSD-3-Clause
"""Starting and stopping: a dropped authenticator keeps working, stop()
never hangs, a terminated context ends the thread."""

import gc
import threading
import time
import weakref

import pytest
from conftest import curve_client, curve_server, delivered, tcp_client, tcp_server
from zmq_testkit import closing

import zmq
from zmq.auth.thread import ThreadAuthenticator


def _plain_check(ctx, password):
    server, url = tcp_server(ctx, plain_server=True)
    client = tcp_client(ctx, url, plain_username=b"admin", plain_password=password)
    with closing(client, server):
        return delivered(server, client, wait_ms=1000)


def test_dropped_authenticator_keeps_answering_until_the_context_ends(auth_log):
    ctx = zmq.Context()
    try:
        auth = ThreadAuthenticator(ctx, log=auth_log.logger)
        auth.start()
        auth.configure_plain(passwords={"admin": "right"})
        thread = auth.thread
        ref = weakref.ref(auth)
        del auth
        gc.collect()
        # still alive and still enforcing: without a ZAP handler libzmq
        # would let any PLAIN password in
        assert ref() is not None
        assert _plain_check(ctx, b"right")
        assert not _plain_check(ctx, b"wrong")
        assert auth_log.contains(20, "DENIED (PLAIN)")
    finally:
        terminator = threading.Thread(target=ctx.term, daemon=True)
        terminator.start()
        terminator.join(10)
    assert not terminator.is_alive(), "context.term() hung on the authenticator's socket"
    thread.join(5)
    assert not thread.is_alive()
    del thread
    gc.collect()
    assert ref() is None, "the authenticator outlived its thread"


def test_context_term_ends_a_running_authenticator():
    ctx = zmq.Context()
    auth = ThreadAuthenticator(ctx)
    auth.start()
    terminator = threading.Thread(target=ctx.term, daemon=True)
    terminator.start()
    terminator.join(10)
    assert not terminator.is_alive(), "context.term() hung"
    auth.thread.join(5)
    assert not auth.is_alive()
    auth.stop()  # after the fact: a no-op, not an error


class StuckSync:
    """A credentials provider whose answer does not come until released."""

    def __init__(self):
        self.entered, self.release = threading.Event(), threading.Event()

    def callback(self, domain, key):
        self.entered.set()
        self.release.wait(30)
        return False


class StuckAsync(StuckSync):
    async def callback(self, domain, key):
        import asyncio

        self.entered.set()
        await asyncio.sleep(3600)  # an answer that never comes: stop() must cancel it


@pytest.mark.parametrize("stuck", [StuckSync, StuckAsync], ids=["sync", "async"])
def test_stop_returns_while_a_callback_hangs(ctx, auth_log, certs, stuck):
    provider = stuck()
    auth = ThreadAuthenticator(ctx, log=auth_log.logger)
    auth.start()
    auth.configure_curve_callback(credentials_provider=provider)
    server, url = curve_server(ctx, certs)
    client = curve_client(ctx, url, certs)
    try:
        with closing(client, server):
            client.send(b"x")
            assert provider.entered.wait(5)
            t0 = time.perf_counter()
            auth.stop()
            assert time.perf_counter() - t0 < 2
            assert not auth.is_alive()
            assert auth.zap_socket is None
    finally:
        provider.release.set()


def test_stop_from_inside_a_callback_does_not_deadlock(ctx, certs):
    auth = ThreadAuthenticator(ctx)
    stopped = threading.Event()

    class StopsIt:
        def callback(self, domain, key):
            auth.stop()
            stopped.set()
            return True

    auth.start()
    thread = auth.thread
    auth.configure_curve_callback(credentials_provider=StopsIt())
    server, url = curve_server(ctx, certs)
    client = curve_client(ctx, url, certs)
    with closing(client, server):
        client.send(b"x")
        assert stopped.wait(5)
        thread.join(5)
        assert not thread.is_alive()


def test_stop_twice_and_before_start(ctx):
    auth = ThreadAuthenticator(ctx)
    auth.stop()
    auth.start()
    auth.stop()
    auth.stop()
    assert not auth.is_alive()
    # and it can start again
    auth.start()
    assert auth.is_alive()
    auth.stop()


def test_second_authenticator_on_a_context_is_refused_clearly(ctx):
    first = ThreadAuthenticator(ctx)
    first.start()
    try:
        with pytest.raises(zmq.ZMQError, match="already running"):
            ThreadAuthenticator(ctx).start()
    finally:
        first.stop()


def test_callback_workers_must_be_positive(ctx):
    with pytest.raises(ValueError, match="callback_workers"):
        ThreadAuthenticator(ctx, callback_workers=0)
