# SPDX-License-Identifier: BSD-3-Clause
"""PyZMQ 27's names and ways of construction in zmq.asyncio and
zmq.eventloop.*, working over real sockets."""

import asyncio
import importlib
import sys
import typing
import warnings

import pytest
from zmq_testkit import connected_pair, endpoint, run_python

import zmq
import zmq.asyncio
import zmq.eventloop
import zmq.eventloop.future


def test_zmq_event_loop_and_install_warn_and_work(actx):
    with pytest.warns(DeprecationWarning, match="ZMQEventLoop"):
        loop = zmq.asyncio.ZMQEventLoop()
    a, b = connected_pair(actx, zmq.PAIR, zmq.PAIR, "inproc")

    async def main():
        await b.send(b"on ZMQEventLoop")
        return await asyncio.wait_for(a.recv(), 5)

    try:
        assert loop.run_until_complete(main()) == b"on ZMQEventLoop"
    finally:
        loop.close()
    with pytest.warns(DeprecationWarning, match="install"):
        assert zmq.asyncio.install() is None
    assert issubclass(zmq.asyncio.ProactorSelectorThreadWarning, RuntimeWarning)
    assert set(zmq.asyncio.__all__) == {"Context", "Socket", "Poller", "ZMQEventLoop",
                                        "install"}


def test_eventloop_names():
    from tornado.ioloop import IOLoop

    assert zmq.eventloop.IOLoop is IOLoop
    from zmq.eventloop import IOLoop as imported

    assert imported is IOLoop
    assert zmq.eventloop.future.CancelledError is asyncio.CancelledError
    with pytest.raises(AttributeError):
        zmq.eventloop.NoSuchThing  # noqa: B018


def test_importing_ioloop_module_warns():
    sys.modules.pop("zmq.eventloop.ioloop", None)
    with pytest.warns(DeprecationWarning, match="zmq.eventloop.ioloop"):
        module = importlib.import_module("zmq.eventloop.ioloop")
    from tornado.ioloop import IOLoop, PeriodicCallback

    assert module.IOLoop is module.ZMQIOLoop is IOLoop
    assert module.PeriodicCallback is PeriodicCallback


def test_tornado_future_cancelled_error(run):
    ctx = zmq.eventloop.future.Context()

    async def main():
        a, b = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
        f = a.recv_string()
        f.cancel()
        with pytest.raises(zmq.eventloop.future.CancelledError):
            await f
        a.close()
        b.close()

    run(main)
    ctx.term()


@pytest.mark.parametrize("module", [zmq.asyncio, zmq.eventloop.future])
def test_classes_are_generic(module):
    for cls in (module.Context, module.Socket, module.Poller):
        alias = cls[typing.Any]
        assert typing.get_origin(alias) is cls
        assert typing.get_args(alias) == (typing.Any,)


def test_wrapping_sync_sockets_and_contexts(run):
    ctx = zmq.Context()
    sync_pull = ctx.socket(zmq.PULL)
    sync_pull.linger = 0
    url = endpoint()
    sync_pull.bind(url)
    push = ctx.socket(zmq.PUSH)
    push.linger = 0
    push.connect(url)
    wrapped = [
        zmq.asyncio.Socket(sync_pull),
        zmq.asyncio.Socket.from_socket(sync_pull),
        zmq.asyncio.Socket.shadow(sync_pull.underlying),
    ]
    actx = zmq.asyncio.Context(ctx)
    shadow_ctx = zmq.asyncio.Context.shadow(ctx.underlying)

    async def main():
        for i, sock in enumerate(wrapped):
            assert isinstance(sock, zmq.asyncio.Socket)
            assert sock.underlying == sync_pull.underlying
            assert sock.type == zmq.PULL
            push.send(b"%d" % i)
            assert await asyncio.wait_for(sock.recv(), 5) == b"%d" % i
        # sockets made from a shadowing context share its libzmq context
        for c in (actx, shadow_ctx):
            assert c.underlying == ctx.underlying
            s = c.socket(zmq.PUSH)
            assert isinstance(s, zmq.asyncio.Socket)
            s.linger = 0
            s.connect(url)
            await s.send(b"via shadow")
            assert sync_pull.recv() == b"via shadow"
            s.close()

    run(main)
    push.close()
    sync_pull.close()
    ctx.term()


def test_async_context_instance_is_its_own_singleton():
    actx = zmq.asyncio.Context.instance()
    fctx = zmq.eventloop.future.Context.instance()
    ctx = zmq.Context.instance()
    try:
        assert type(actx) is zmq.asyncio.Context
        assert type(fctx) is zmq.eventloop.future.Context
        assert type(ctx) is zmq.Context
        assert zmq.asyncio.Context.instance() is actx
        assert len({id(actx), id(fctx), id(ctx)}) == 3
    finally:
        for c in (actx, fctx, ctx):
            c.term()
    # a terminated singleton is replaced
    again = zmq.asyncio.Context.instance()
    assert again is not actx and not again.closed
    again.term()


def test_tornado_close_all_fds_closes_future_sockets():
    from tornado.ioloop import IOLoop

    ctx = zmq.eventloop.future.Context()
    pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
    loop = IOLoop(make_current=False)

    async def use():
        await push.send(b"x")
        assert await pull.recv() == b"x"
        pull.recv()  # left pending

    loop.run_sync(use, timeout=10)
    loop.close(all_fds=True)
    assert pull.closed and push.closed
    # nothing left open: term() returns
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        ctx.term()


def test_module_level_names_of_pyzmq():
    from tornado.concurrent import Future as TornadoFuture
    from tornado.ioloop import IOLoop, PeriodicCallback

    import zmq.eventloop.zmqstream as zmqstream

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import zmq.eventloop.ioloop as ioloop
    assert zmq.asyncio.Future is asyncio.Future
    assert zmq.asyncio.SelectorEventLoop is asyncio.SelectorEventLoop
    assert zmq.eventloop.future.Future is TornadoFuture
    assert zmq.eventloop.future.IOLoop is IOLoop
    assert zmqstream.IOLoop is IOLoop
    assert (zmqstream.POLLIN, zmqstream.POLLOUT) == (zmq.POLLIN, zmq.POLLOUT)
    assert zmqstream.gen_log.name == "tornado.general"
    for name in ("Configurable", "Future", "PeriodicCallback", "TimeoutError", "app_log",
                 "chain_future", "is_future"):
        assert hasattr(ioloop, name), name
    assert ioloop.PeriodicCallback is PeriodicCallback


def test_tornado_context_takes_the_deprecated_io_loop_argument(run):
    from tornado.ioloop import IOLoop

    loop = IOLoop(make_current=False)
    try:
        with pytest.warns(DeprecationWarning, match="io_loop"):
            ctx = zmq.eventloop.future.Context(io_loop=loop)
    finally:
        loop.close()

    async def main():
        a, b = connected_pair(ctx, zmq.PAIR, zmq.PAIR, "inproc")
        await b.send(b"ok")
        assert await asyncio.wait_for(a.recv(), 5) == b"ok"
        a.close()
        b.close()

    run(main)
    ctx.term()


def test_tornado_is_an_extra():
    # without Tornado, zmq.asyncio works and the Tornado modules name the extra
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import sys

        class NoTornado:
            def find_spec(self, name, path=None, target=None):
                if name == "tornado" or name.startswith("tornado."):
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)

        sys.meta_path.insert(0, NoTornado())
        import zmq.asyncio
        ctx = zmq.asyncio.Context()
        ctx.socket(zmq.PAIR).close()
        ctx.term()
        for module in ("zmq.eventloop.zmqstream", "zmq.eventloop.future", "zmq.eventloop.ioloop"):
            try:
                __import__(module)
            except ImportError as e:
                print(module, e)
            else:
                print(module, "imported without Tornado")
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 3
    for line in lines:
        assert line.endswith("needs Tornado: pip install zmq-eventloop[tornado]"), line


def test_monitor_module_brings_zmq_asyncio():
    # PyZMQ's zmq.utils.monitor imports zmq.asyncio, and PyZMQ's monitoring
    # example annotates with zmq.asyncio.Socket after importing only that
    result = run_python("""
        import zmq
        from zmq.utils.monitor import recv_monitor_message

        def watch(monitor: zmq.asyncio.Socket) -> None:
            pass

        print(zmq.asyncio.Socket.__name__)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Socket"


def test_recv_monitor_message_of_an_async_socket_is_awaitable(run, actx):
    from zmq.utils.monitor import recv_monitor_message

    async def main():
        sock = actx.socket(zmq.PAIR)
        sock.linger = 0
        monitor = sock.get_monitor_socket(zmq.EVENT_LISTENING)
        assert isinstance(monitor, zmq.asyncio.Socket)
        sock.bind("tcp://127.0.0.1:*")
        event = await asyncio.wait_for(recv_monitor_message(monitor), 5)
        assert event["event"] == zmq.EVENT_LISTENING
        assert event["endpoint"] == sock.last_endpoint
        sock.disable_monitor()
        monitor.close(0)
        sock.close()

    run(main)
