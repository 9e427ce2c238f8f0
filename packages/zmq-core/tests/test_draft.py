# SPDX-License-Identifier: BSD-3-Clause
"""Draft API sockets (CLIENT/SERVER, RADIO/DISH): run on the draft build,
skipped on the system build, where using them fails cleanly."""


import pytest
from conftest import needs_draft
from zmq_testkit import configure, make_socket, until_received

import zmq


@needs_draft
def test_client_server_routing_id(ctx):
    server = configure(ctx.socket(zmq.SERVER))
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = make_socket(ctx, zmq.CLIENT, connect=f"tcp://127.0.0.1:{port}")
    client.send(b"hello server")
    frame = server.recv(copy=False)
    assert frame.bytes == b"hello server"
    rid = frame.routing_id
    assert isinstance(rid, int) and rid > 0
    server.send(b"hello client", routing_id=rid)
    assert client.recv() == b"hello client"
    reply = zmq.Frame(b"via frame")
    reply.routing_id = rid
    server.send(reply)
    assert client.recv() == b"via frame"


@needs_draft
def test_radio_dish_groups(ctx):
    dish = make_socket(ctx, zmq.DISH, bind="inproc://radio-dish")
    dish.join("weather")
    radio = make_socket(ctx, zmq.RADIO, connect="inproc://radio-dish")

    def send():
        radio.send(b"sunny", group="weather")
        radio.send(b"ignored", group="sports")

    # joins travel to the radio asynchronously: send until one arrives
    assert until_received(dish, send) == [b"sunny"]
    send()
    f = dish.recv(copy=False)
    assert f.group == "weather"
    assert f.bytes == b"sunny"
    dish.leave("weather")
    with pytest.raises(zmq.ZMQError):
        dish.leave("never-joined")


@pytest.mark.skipif(zmq.DRAFT_API, reason="checks the build without the draft API")
def test_draft_features_fail_cleanly_without_drafts(ctx):
    # libzmq may still make the socket types; the draft functions are absent
    for call in (
        lambda: setattr(zmq.Frame(b"x"), "routing_id", 5),
        lambda: zmq.Frame(b"x").group,
    ):
        # RuntimeError, as PyZMQ raises
        with pytest.raises(RuntimeError, match="draft"):
            call()
    s = ctx.socket(zmq.DISH)
    with pytest.raises(zmq.ZMQError) as info:
        s.join("group")
    assert info.value.errno == zmq.ENOTSUP
    s.close()


@needs_draft
def test_thread_safe_socket_fd_signals_readiness():
    # SERVER/CLIENT have no ZMQ_FD: a zmq_poller lends its fd, which must
    # really become readable when a message arrives
    import select

    with zmq.Context() as ctx, ctx.socket(zmq.SERVER) as server, \
            ctx.socket(zmq.CLIENT) as client:
        server.linger = client.linger = 0
        fd = server.FD
        assert fd == server.get(zmq.FD) == server.fileno() and fd > 0
        port = server.bind_to_random_port("tcp://127.0.0.1")
        client.connect(f"tcp://127.0.0.1:{port}")
        client.send(b"over the poller fd")
        readable, _, _ = select.select([fd], [], [], 10)
        assert readable == [fd]
        assert server.poll(1000) == zmq.POLLIN
        assert server.recv() == b"over the poller fd"


@needs_draft
def test_proxy_with_a_thread_safe_socket_waits_in_zmq_poll():
    # a SERVER has no ZMQ_FD: the proxy waits on it with zmq_poll, and still
    # forwards in order and ends with ContextTerminated
    import threading

    ctx = zmq.Context()
    front = make_socket(ctx, zmq.SERVER, bind="inproc://ts-front", timeout_ms=None)
    back = make_socket(ctx, zmq.PUSH, bind="inproc://ts-back", timeout_ms=None)
    outcome = []

    def run():
        try:
            zmq.proxy(front, back)
        except zmq.ZMQError as e:
            outcome.append(e.errno)
        front.close()
        back.close()

    t = threading.Thread(target=run)
    t.start()
    client = make_socket(ctx, zmq.CLIENT, connect="inproc://ts-front")
    sink = make_socket(ctx, zmq.PULL, connect="inproc://ts-back")
    for i in range(500):
        client.send(b"%d" % i)
    assert [sink.recv() for _ in range(500)] == [b"%d" % i for i in range(500)]
    client.close()
    sink.close()
    ctx.term()
    t.join(10)
    assert outcome == [zmq.ETERM]
