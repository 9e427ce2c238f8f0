# SPDX-License-Identifier: BSD-3-Clause
"""AsyncioAuthenticator on a plain asyncio loop (no zmq.asyncio needed), and
the deprecated zmq.auth.ioloop."""

import asyncio
import importlib
import subprocess
import sys

import pytest
from conftest import curve_client, curve_server, delivered
from zmq_testkit import async_wait_for, closing

import zmq
from zmq.auth.asyncio import AsyncioAuthenticator


def _run_with_auth(ctx, log, configure, body):
    """Start an AsyncioAuthenticator on a fresh loop, configure it, run the
    blocking body(auth) on a worker thread (the loop answers ZAP meanwhile)."""

    async def main():
        auth = AsyncioAuthenticator(ctx, log=log)
        auth.start()
        try:
            configure(auth)
            return await asyncio.get_running_loop().run_in_executor(None, body, auth)
        finally:
            auth.stop()

    return asyncio.run(main())


@pytest.mark.parametrize("known", [True, False])
def test_curve_over_tcp(ctx, certs, auth_log, known):
    stranger_public, stranger_secret = zmq.curve_keypair()

    def body(auth):
        server, url = curve_server(ctx, certs)
        if known:
            client = curve_client(ctx, url, certs)
        else:
            client = curve_client(ctx, url, certs, public=stranger_public, secret=stranger_secret)
        with closing(client, server):
            return delivered(server, client)

    result = _run_with_auth(
        ctx, auth_log.logger, lambda a: a.configure_curve(location=certs.public_dir), body
    )
    assert result is known
    if not known:
        assert auth_log.contains(20, "DENIED (CURVE)")


def test_zmq_asyncio_is_not_imported():
    code = (
        "import sys, zmq.auth.asyncio, zmq.auth.thread\n"
        "assert 'zmq.asyncio' not in sys.modules, 'zmq.asyncio imported'\n"
        "assert 'tornado' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_start_without_a_running_loop_says_so(ctx):
    auth = AsyncioAuthenticator(ctx)
    with pytest.raises(RuntimeError, match="running asyncio loop"):
        auth.start()
    assert auth.zap_socket is None


def test_loop_argument_is_deprecated(ctx):
    with pytest.warns(DeprecationWarning, match="loop"):
        AsyncioAuthenticator(ctx, loop=object())


def test_stop_cancels_pending_answers_and_closes(ctx, certs):
    entered = asyncio.Event()

    class Never:
        async def callback(self, domain, key):
            entered.set()
            await asyncio.sleep(3600)  # an answer that never comes: stop() must cancel it

    async def main():
        auth = AsyncioAuthenticator(ctx)
        auth.start()
        auth.configure_curve_callback(credentials_provider=Never())
        server, url = curve_server(ctx, certs)
        client = curve_client(ctx, url, certs)
        with closing(client, server):
            client.send(b"x")
            await asyncio.wait_for(entered.wait(), 5)
            auth.stop()
            assert auth.zap_socket is None
            # every task of ours is gone
            await asyncio.sleep(0)
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            assert others == []

    asyncio.run(main())


def test_ioloop_module_warns_and_aliases():
    sys.modules.pop("zmq.auth.ioloop", None)
    with pytest.warns(DeprecationWarning, match="zmq.auth.ioloop is deprecated"):
        module = importlib.import_module("zmq.auth.ioloop")
    assert issubclass(module.IOLoopAuthenticator, AsyncioAuthenticator)
    with pytest.warns(DeprecationWarning, match="io_loop"):
        module.IOLoopAuthenticator(io_loop=object())


def test_watch_logs_refusals_libzmq_makes_itself(ctx, certs, auth_log):
    _, other_server_key = zmq.curve_keypair()

    async def main():
        auth = AsyncioAuthenticator(ctx, log=auth_log.logger)
        auth.start()
        server, url = curve_server(ctx, certs)
        client = None
        try:
            auth.configure_curve(location=certs.public_dir)
            auth.watch(server)
            client = curve_client(ctx, url, certs, server_key=other_server_key)
            assert await async_wait_for(
                lambda: auth_log.contains(20, "PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC"))
            assert auth_log.contains(20, f"endpoint={url}")
        finally:
            if client is not None:
                client.close()
            server.close()
            auth.stop()

    asyncio.run(main())
