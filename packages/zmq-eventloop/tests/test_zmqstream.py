# SPDX-License-Identifier: BSD-3-Clause
"""ZMQStream on Tornado's IOLoop (which runs on asyncio)."""

import asyncio

import pytest
from conftest import endpoint
from tornado.ioloop import IOLoop

import zmq
from zmq.eventloop import ioloop
from zmq.eventloop.zmqstream import ZMQStream


@pytest.fixture
def loop():
    io_loop = IOLoop(make_current=False)
    yield io_loop
    io_loop.close(all_fds=False)


@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


def sockets(ctx, a_type, b_type):
    url = endpoint()
    a = ctx.socket(a_type)
    a.linger = 0
    a.bind(url)
    b = ctx.socket(b_type)
    b.linger = 0
    b.connect(url)
    return a, b


def test_echo_server(loop, ctx):
    server, client = sockets(ctx, zmq.ROUTER, zmq.DEALER)
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
    pull, push = sockets(ctx, zmq.PULL, zmq.PUSH)
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
    pull, push = sockets(ctx, zmq.PULL, zmq.PUSH)
    pull_stream = ZMQStream(pull, loop)
    push_stream = ZMQStream(push, loop)
    results = []

    async def handle(stream, msg):
        await asyncio.sleep(0.01)
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
