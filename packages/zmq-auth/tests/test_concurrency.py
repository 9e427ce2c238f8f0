# SPDX-License-Identifier: BSD-3-Clause
"""A slow credentials check for one client does not hold up another's
handshake: each ZAP request is answered on its own."""

import asyncio
import threading
import time

import pytest
from conftest import curve_client, curve_server
from zmq_testkit import TIMEOUT_MS

import zmq
from zmq.auth.asyncio import AsyncioAuthenticator

# how long the first client's check takes: the slowness under test (does a
# second client wait for it?)
SLOW_S = 0.2


class SlowForA:
    """Accepts two keys; takes SLOW_S for client A's, none for B's. Sets
    a_started when A's check begins (the signal to send client B in)."""

    def __init__(self, key_a, key_b, asynchronous):
        self.key_a, self.key_b = key_a, key_b
        self.a_started = threading.Event()
        if asynchronous:
            self.callback = self.async_callback
        else:
            self.callback = self.sync_callback

    def sync_callback(self, domain, key):
        if key == self.key_a:
            self.a_started.set()
            time.sleep(SLOW_S)
        return key in (self.key_a, self.key_b)

    async def async_callback(self, domain, key):
        if key == self.key_a:
            self.a_started.set()
            await asyncio.sleep(SLOW_S)
        return key in (self.key_a, self.key_b)


def _race(ctx, certs, provider, wait_for_a):
    """Connect A, wait until its check started, connect B; return B's time
    from connect to first message, and A's total."""
    a_public, a_secret = zmq.curve_keypair()
    b_public, b_secret = zmq.curve_keypair()
    provider.key_a, provider.key_b = a_public, b_public
    server, url = curve_server(ctx, certs)
    client_a = client_b = None
    try:
        t0 = time.perf_counter()
        client_a = curve_client(ctx, url, certs, public=a_public, secret=a_secret)
        client_a.send(b"A")
        wait_for_a()
        t_b = time.perf_counter()
        client_b = curve_client(ctx, url, certs, public=b_public, secret=b_secret)
        client_b.send(b"B")
        assert server.poll(TIMEOUT_MS)
        first = server.recv()
        b_elapsed = time.perf_counter() - t_b
        assert server.poll(TIMEOUT_MS)
        second = server.recv()
        a_elapsed = time.perf_counter() - t0
        assert (first, second) == (b"B", b"A")
        return b_elapsed, a_elapsed
    finally:
        for sock in (client_a, client_b, server):
            if sock is not None:
                sock.close()


@pytest.mark.parametrize("asynchronous", [True, False], ids=["async-callback", "sync-callback"])
def test_thread_authenticator_slow_callback_does_not_block_others(
    ctx, thread_auth, certs, asynchronous
):
    provider = SlowForA(None, None, asynchronous)
    thread_auth.configure_curve_callback(credentials_provider=provider)
    b_elapsed, a_elapsed = _race(ctx, certs, provider, lambda: provider.a_started.wait(5))
    assert b_elapsed < SLOW_S / 2, f"client B waited {b_elapsed * 1000:.0f} ms behind A"
    assert a_elapsed >= SLOW_S


def test_asyncio_authenticator_slow_callback_does_not_block_others(ctx, certs, auth_log):
    provider = SlowForA(None, None, asynchronous=True)

    async def main():
        auth = AsyncioAuthenticator(ctx, log=auth_log.logger)
        auth.start()
        try:
            auth.configure_curve_callback(credentials_provider=provider)
            loop = asyncio.get_running_loop()
            # the test's sockets block: they run on a worker thread, leaving
            # the loop free to answer ZAP requests
            return await loop.run_in_executor(
                None, _race, ctx, certs, provider, lambda: provider.a_started.wait(5)
            )
        finally:
            auth.stop()

    b_elapsed, a_elapsed = asyncio.run(main())
    assert b_elapsed < SLOW_S / 2, f"client B waited {b_elapsed * 1000:.0f} ms behind A"
    assert a_elapsed >= SLOW_S
