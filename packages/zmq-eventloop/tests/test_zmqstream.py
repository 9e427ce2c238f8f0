# SPDX-License-Identifier: BSD-3-Clause
"""ZMQStream on Tornado's IOLoop (which runs on asyncio)."""

import asyncio
import warnings

import pytest
from tornado.ioloop import IOLoop
from zmq_testkit import async_wait_for, connected_pair, endpoint

import zmq
import zmq.asyncio
from zmq.eventloop import ioloop
from zmq.eventloop.zmqstream import ZMQStream


@pytest.fixture
def loop():
    io_loop = IOLoop(make_current=False)
    yield io_loop
    io_loop.close(all_fds=False)


def test_echo_server(loop, ctx):
    server, client = connected_pair(ctx, zmq.ROUTER, zmq.DEALER, "inproc")
    server_stream = ZMQStream(server, loop)
    client_stream = ZMQStream(client, loop)
    server_stream.on_recv(server_stream.send_multipart)
    replies = []

    def on_reply(msg):
        replies.append(msg)
        if len(replies) < 100:
            client_stream.send(b"%d" % len(replies))
        else:
            loop.stop()

    client_stream.on_recv(on_reply)
    loop.add_callback(lambda: client_stream.send(b"0"))
    loop.call_later(10, loop.stop)
    loop.start()
    assert [int(m[0]) for m in replies] == list(range(100))
    assert client_stream.receiving() and not client_stream.sending()
    server_stream.close()
    client_stream.close()
    assert server_stream.closed() and server.closed


def test_on_send_copy_false_and_stop_on_recv(loop, ctx):
    pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
    push_stream = ZMQStream(push, loop)
    pull_stream = ZMQStream(pull, loop)
    sent, got = [], []
    push_stream.on_send(lambda msg, status: sent.append(msg))

    def on_frames(frames):
        got.append(frames)
        if len(got) == 2:
            pull_stream.stop_on_recv()
            loop.stop()

    pull_stream.on_recv(on_frames, copy=False)
    push_stream.send_multipart([b"a", b"b"])
    push_stream.send_string("ü")
    loop.call_later(10, loop.stop)
    loop.start()
    assert sent == [[b"a", b"b"], ["ü".encode()]]
    assert [[f.bytes for f in m] for m in got] == [[b"a", b"b"], ["ü".encode()]]
    assert all(isinstance(f, zmq.Frame) for m in got for f in m)
    assert not pull_stream.receiving()
    push_stream.close()
    pull_stream.close()


def test_coroutine_callbacks_and_stream_callbacks(loop, ctx):
    pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
    pull_stream = ZMQStream(pull, loop)
    push_stream = ZMQStream(push, loop)
    results = []

    async def handle(stream, msg):
        await asyncio.sleep(0.01)  # a callback that really suspends: the case under test
        results.append((stream is pull_stream, msg))
        if len(results) == 3:
            loop.stop()

    pull_stream.on_recv_stream(handle)
    for i in range(3):
        push_stream.send(b"%d" % i)
    loop.call_later(10, loop.stop)
    loop.start()
    assert sorted(results) == [(True, [b"%d" % i]) for i in range(3)]
    pull_stream.close()
    push_stream.close()


def test_flush_close_callback_and_json(loop, ctx):
    pytest.importorskip("zmq.serial")
    url = endpoint()
    push = ctx.socket(zmq.PUSH)
    push.linger = 0
    push.bind(url)
    push_stream = ZMQStream(push, loop)
    # no peer yet: a PUSH cannot send, so both messages wait in the stream
    push_stream.send_json({"k": 1})
    push_stream.send_pyobj([1, 2])
    assert push_stream.sending()
    pull = ctx.socket(zmq.PULL)
    pull.linger = 0
    pull.connect(url)
    # flush sends what can go now, without running the loop
    deadline = 50
    sent = 0
    while sent < 2 and deadline:
        sent += push_stream.flush()
        deadline -= 1
        pull.poll(20)
    assert sent == 2
    pull.rcvtimeo = 5000
    assert pull.recv_json() == {"k": 1}
    assert pull.recv_pyobj() == [1, 2]
    closed = []
    push_stream.set_close_callback(lambda: closed.append(True))
    push_stream.close()
    assert closed == [True]
    with pytest.raises(OSError):
        push_stream.send(b"after close")


def test_ioloop_names():
    assert ioloop.IOLoop is IOLoop
    assert ioloop.ZMQIOLoop is IOLoop
    with pytest.warns(DeprecationWarning):
        ioloop.install()


def test_socket_methods_on_the_stream(loop, ctx):
    pull = ctx.socket(zmq.PULL)
    push = ctx.socket(zmq.PUSH)
    pull_stream = ZMQStream(pull, loop)
    push_stream = ZMQStream(push, loop)
    pull_stream.setsockopt(zmq.LINGER, 0)
    push_stream.setsockopt(zmq.LINGER, 0)
    assert pull_stream.getsockopt(zmq.LINGER) == 0
    pull_stream.setsockopt_string(zmq.ROUTING_ID, "pull-id")
    assert pull_stream.getsockopt_string(zmq.ROUTING_ID) == "pull-id"
    assert pull_stream.getsockopt_unicode(zmq.ROUTING_ID) == "pull-id"
    port = pull_stream.bind_to_random_port("tcp://127.0.0.1")
    push_stream.connect(f"tcp://127.0.0.1:{port}")
    url = endpoint()
    pull_stream.bind(url)
    got = []

    def on_message(msg):
        got.append(msg)
        if len(got) == 2:
            loop.stop()

    pull_stream.on_recv(on_message)
    push_stream.send(b"over tcp")
    inproc_push = ctx.socket(zmq.PUSH)
    inproc_push.linger = 0
    inproc_push.connect(url)
    inproc_push.send(b"over inproc")
    loop.call_later(10, loop.stop)
    loop.start()
    assert sorted(got) == [[b"over inproc"], [b"over tcp"]]
    pull_stream.close()
    push_stream.close()
    inproc_push.close()


def test_async_socket_is_shadowed_with_a_warning(loop):
    actx = zmq.asyncio.Context()
    asock = actx.socket(zmq.PULL)
    asock.linger = 0
    with pytest.warns(RuntimeWarning, match="plain zmq.Socket"):
        stream = ZMQStream(asock, loop)
    assert type(stream.socket) is zmq.Socket
    assert stream.socket.underlying == asock.underlying
    asock.close()
    with pytest.warns(UserWarning, match="after closing socket"):
        assert stream.closed()
    actx.term()


def test_callbacks_must_be_callable(loop, ctx):
    stream = ZMQStream(ctx.socket(zmq.PULL), loop)
    stream.socket.linger = 0
    for bad in (1, "x", zmq):
        with pytest.raises(TypeError, match="callable"):
            stream.on_recv(bad)
        with pytest.raises(AssertionError):  # as PyZMQ
            stream.on_send(bad)
    stream.close()


def test_send_json_and_pyobj_through_the_socket_methods(loop, ctx):
    pytest.importorskip("zmq.serial")
    pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
    stream = ZMQStream(push, loop)
    sent = []
    stream.send_json({"k": [1]}, callback=lambda msg, status: sent.append(("json", msg)))
    stream.send_pyobj({"p": 2}, callback=lambda msg, status: sent.append(("pyobj", msg)))
    stream.send_json("signed?", sort_keys=True)  # kwargs go to the socket's send_json
    loop.call_later(0.2, loop.stop)
    loop.start()
    pull.rcvtimeo = 5000
    assert pull.recv_json() == {"k": [1]}
    assert pull.recv_pyobj() == {"p": 2}
    assert pull.recv_json() == "signed?"
    assert [kind for kind, _ in sent] == ["json", "pyobj"]
    stream.close()
    with pytest.raises(OSError):
        stream.send_json({})


def test_loop_close_all_fds_closes_stream_sockets():
    """ipyparallel closes its loop with all_fds=True, then terminates the
    context: that must not hang on the streams' sockets."""
    import threading

    ctx = zmq.Context()
    io_loop = IOLoop(make_current=False)
    pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
    streams = [ZMQStream(pull, io_loop), ZMQStream(push, io_loop)]
    got = []
    streams[0].on_recv(lambda msg: (got.append(msg), io_loop.stop()))
    streams[1].send(b"hi")
    io_loop.call_later(10, io_loop.stop)
    io_loop.start()
    assert got == [[b"hi"]]
    closed = []
    streams[0].set_close_callback(lambda: closed.append(True))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the streams close themselves, cleanly
        io_loop.close(all_fds=True)
    assert closed == [True]
    assert pull.closed and push.closed
    assert all(s.closed() for s in streams)
    # a socket its owner closed before the loop closes: no warning either
    io_loop = IOLoop(make_current=False)
    late = ctx.socket(zmq.PULL)
    late_stream = ZMQStream(late, io_loop)
    late.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        io_loop.close(all_fds=True)
        assert late_stream.closed()  # closed already: would warn otherwise
    done = threading.Event()
    threading.Thread(target=lambda: (ctx.term(), done.set()), daemon=True).start()
    assert done.wait(10), "Context.term() hung: a stream's socket was left open"


def test_socket_closed_under_the_stream_warns_and_logs(loop, ctx, caplog):
    pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
    shadow = zmq.Socket.shadow(pull)
    stream = ZMQStream(shadow, loop)
    push.send(b"x")
    stream.on_recv(lambda msg: None)
    pull.close()
    with pytest.warns(UserWarning, match="after closing socket"):
        loop.run_sync(lambda: async_wait_for(stream.closed), timeout=10)
    assert stream.closed()
    assert "closed socket" in caplog.text


def test_callback_errors_are_logged(loop, ctx, caplog):
    pull, push = connected_pair(ctx, zmq.PULL, zmq.PUSH, "inproc")
    stream = ZMQStream(pull, loop)
    seen = []

    async def failing(msg):
        seen.append(msg)
        loop.call_later(0.05, loop.stop)
        raise ValueError("from the callback")

    stream.on_recv(failing)
    push.send(b"x")
    loop.call_later(10, loop.stop)
    loop.start()
    assert seen == [[b"x"]]
    assert "Uncaught exception in ZMQStream callback" in caplog.text
    assert "from the callback" in caplog.text
    stream.close()
