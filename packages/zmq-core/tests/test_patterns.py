# SPDX-License-Identifier: BSD-3-Clause
"""Every socket pattern moving real messages."""

import socket as pysocket

import pytest
from zmq_testkit import TRANSPORTS, configure, make_socket, sync_pub_sub

import zmq


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_req_rep(pair, transport):
    rep, req = pair(zmq.REP, zmq.REQ, transport)
    for i in range(5):
        req.send(b"question %d" % i)
        assert rep.recv() == b"question %d" % i
        rep.send(b"answer %d" % i)
        assert req.recv() == b"answer %d" % i


def test_req_rep_wrong_order_is_efsm(pair):
    rep, req = pair(zmq.REP, zmq.REQ)
    with pytest.raises(zmq.ZMQError) as info:
        req.recv()
    assert info.value.errno == zmq.EFSM
    with pytest.raises(zmq.ZMQError) as info:
        rep.send(b"answer before question")
    assert info.value.errno == zmq.EFSM
    req.send(b"q")
    with pytest.raises(zmq.ZMQError) as info:
        req.send(b"second question")
    assert info.value.errno == zmq.EFSM


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_pub_sub_filters_topics(pair, transport):
    pub, sub = pair(zmq.PUB, zmq.SUB, transport)
    sub.subscribe(b"news")
    sync_pub_sub(pub, sub, b"news")
    pub.send(b"sports: nope")
    pub.send(b"news: yes")
    pub.send_multipart([b"news", b"multipart"])
    assert sub.recv() == b"news: yes"
    assert sub.recv_multipart() == [b"news", b"multipart"]
    assert sub.poll(100) == 0


def test_sub_unsubscribe_and_str_topics(pair):
    pub, sub = pair(zmq.PUB, zmq.SUB)
    sub.subscribe("a")
    sub.subscribe("b")
    sync_pub_sub(pub, sub, b"a")
    sub.unsubscribe("a")
    # unsubscribing reaches the PUB asynchronously: resync on topic b
    sync_pub_sub(pub, sub, b"b")
    pub.send(b"a-dropped")
    pub.send(b"b-kept")
    assert sub.recv() == b"b-kept"
    assert sub.poll(100) == 0


def test_setting_subscribe_attribute(pair):
    pub, sub = pair(zmq.PUB, zmq.SUB)
    sub.subscribe = b"x"
    sync_pub_sub(pub, sub, b"x")
    pub.send(b"y-no")
    pub.send(b"x-yes")
    assert sub.recv() == b"x-yes"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_push_pull(pair, transport):
    pull, push = pair(zmq.PULL, zmq.PUSH, transport)
    for i in range(100):
        push.send(b"%d" % i)
    assert [int(pull.recv()) for _ in range(100)] == list(range(100))


def test_push_to_many_pulls_load_balances(ctx):
    push = make_socket(ctx, zmq.PUSH, bind="inproc://lb")
    pulls = [configure(ctx.socket(zmq.PULL)) for _ in range(2)]
    for p in pulls:
        p.connect("inproc://lb")
    for i in range(10):
        push.send(b"%d" % i)
    got = [[p.recv() for _ in range(5)] for p in pulls]
    assert sorted(int(x) for g in got for x in g) == list(range(10))


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_dealer_router(pair, transport):
    router, dealer = pair(zmq.ROUTER, zmq.DEALER, transport)
    dealer.routing_id = b"dealer-1"
    # routing_id applies to connections made after it is set
    dealer.disconnect(router.last_endpoint.decode())
    dealer.connect(router.last_endpoint.decode())
    dealer.send_multipart([b"", b"hello router"])
    who, empty, body = router.recv_multipart()
    assert who == b"dealer-1"
    assert (empty, body) == (b"", b"hello router")
    router.send_multipart([who, b"", b"hello dealer"])
    assert dealer.recv_multipart() == [b"", b"hello dealer"]


def test_router_mandatory_unroutable(pair):
    router, dealer = pair(zmq.ROUTER, zmq.DEALER)
    router.router_mandatory = 1
    with pytest.raises(zmq.ZMQError) as info:
        router.send_multipart([b"nobody", b"x"])
    assert info.value.errno == zmq.EHOSTUNREACH


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_pair(pair, transport):
    a, b = pair(zmq.PAIR, zmq.PAIR, transport)
    a.send(b"ping")
    assert b.recv() == b"ping"
    b.send(b"pong")
    assert a.recv() == b"pong"


def test_xpub_xsub_see_subscriptions(pair):
    xpub, xsub = pair(zmq.XPUB, zmq.XSUB)
    xsub.send(b"\x01topic")  # subscribe, in the XSUB wire form
    assert xpub.recv() == b"\x01topic"
    xpub.send(b"topic: data")
    xpub.send(b"other: data")
    assert xsub.recv() == b"topic: data"
    assert xsub.poll(100) == 0
    xsub.send(b"\x00topic")  # unsubscribe
    assert xpub.recv() == b"\x00topic"


def test_xpub_to_sub(pair):
    xpub, sub = pair(zmq.XPUB, zmq.SUB)
    sub.subscribe(b"t")
    assert xpub.recv() == b"\x01t"
    xpub.send(b"t1")
    assert sub.recv() == b"t1"


def test_stream_talks_to_a_plain_tcp_socket(ctx):
    stream = configure(ctx.socket(zmq.STREAM))
    port = stream.bind_to_random_port("tcp://127.0.0.1")
    with pysocket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        # a connection shows up as [id, b""]
        peer, empty = stream.recv_multipart()
        assert empty == b""
        raw.sendall(b"raw bytes in")
        peer2, data = stream.recv_multipart()
        assert peer2 == peer
        assert data == b"raw bytes in"
        stream.send_multipart([peer, b"raw bytes out"])
        got = b""
        while len(got) < len(b"raw bytes out"):
            chunk = raw.recv(100)
            assert chunk
            got += chunk
        assert got == b"raw bytes out"
