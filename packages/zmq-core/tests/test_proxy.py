# SPDX-License-Identifier: BSD-3-Clause
"""zmq.proxy, zmq.proxy_steerable and zmq.device between real sockets."""

import struct
import threading

import pytest
from zmq_testkit import configure, make_socket, sync_pub_sub
from zmq_testkit.races import assert_race_wakes_the_waiter

import zmq


def _start(target, *sockets):
    # the proxy's own sockets (linger 0, no timeouts: the proxy waits in
    # libzmq) are closed by its thread when it ends
    errors = []

    def run():
        try:
            target()
        except zmq.ContextTerminated:
            pass
        except Exception as e:  # surfaced by the test
            errors.append(e)
        finally:
            for s in sockets:
                s.close(linger=0)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, errors


@pytest.mark.parametrize("use_device", [False, True])
def test_proxy_router_dealer_with_capture(use_device):
    ctx = zmq.Context()
    front = make_socket(ctx, zmq.ROUTER, bind="inproc://front", timeout_ms=None)
    back = make_socket(ctx, zmq.DEALER, bind="inproc://back", timeout_ms=None)
    capture = make_socket(ctx, zmq.PUB, bind="inproc://capture", timeout_ms=None)
    listener = configure(ctx.socket(zmq.SUB))
    listener.subscribe(b"")
    listener.connect("inproc://capture")
    if use_device:
        t, errors = _start(lambda: zmq.device(zmq.QUEUE, front, back), front, back, capture)
    else:
        t, errors = _start(lambda: zmq.proxy(front, back, capture), front, back, capture)
    client = make_socket(ctx, zmq.REQ, connect="inproc://front")
    worker = make_socket(ctx, zmq.REP, connect="inproc://back")
    for i in range(3):
        client.send(b"question %d" % i)
        assert worker.recv() == b"question %d" % i
        worker.send(b"answer %d" % i)
        assert client.recv() == b"answer %d" % i
    if not use_device:
        # capture saw the traffic (the proxy copies every frame to it)
        seen = []
        while listener.poll(200):
            seen.append(listener.recv())
        assert b"question 2" in seen and b"answer 2" in seen
    for s in (client, worker, listener):
        s.close(linger=0)
    ctx.term()  # ends the proxy, whose thread closes its sockets
    t.join(10)
    assert not t.is_alive()
    assert errors == []


def test_proxy_steerable_commands():
    ctx = zmq.Context()
    front = make_socket(ctx, zmq.PULL, bind="inproc://sf", timeout_ms=None)
    back = make_socket(ctx, zmq.PUSH, bind="inproc://sb", timeout_ms=None)
    control = make_socket(ctx, zmq.PAIR, bind="inproc://sc", timeout_ms=None)
    t, errors = _start(
        lambda: zmq.proxy_steerable(front, back, None, control), front, back, control
    )
    steer = make_socket(ctx, zmq.PAIR, connect="inproc://sc")
    src = make_socket(ctx, zmq.PUSH, connect="inproc://sf")
    dst = make_socket(ctx, zmq.PULL, connect="inproc://sb")
    src.send(b"1")
    assert dst.recv() == b"1"
    steer.send(b"PAUSE")
    # commands are handled in order: once STATISTICS is answered, the proxy
    # is paused (a message sent earlier could still slip through)
    steer.send(b"STATISTICS")
    steer.recv_multipart()
    src.send(b"2")
    assert dst.poll(200) == 0  # held while paused
    steer.send(b"RESUME")
    assert dst.recv() == b"2"
    steer.send(b"STATISTICS")
    stats = steer.recv_multipart()
    assert len(stats) == 8
    counts = [struct.unpack("=Q", s)[0] for s in stats]
    assert counts[0] == 2  # frontend messages received
    steer.send(b"TERMINATE")
    t.join(10)
    assert not t.is_alive()
    assert errors == []
    for s in (steer, src, dst):
        s.close(linger=0)
    ctx.term()


def test_forwarder_pub_sub():
    ctx = zmq.Context()
    xsub = make_socket(ctx, zmq.XSUB, bind="inproc://xsub", timeout_ms=None)
    xpub = make_socket(ctx, zmq.XPUB, bind="inproc://xpub", timeout_ms=None)
    t, errors = _start(lambda: zmq.proxy(xsub, xpub), xsub, xpub)
    pub = make_socket(ctx, zmq.PUB, connect="inproc://xsub")
    sub = make_socket(ctx, zmq.SUB, connect="inproc://xpub")
    sub.subscribe(b"t")
    sync_pub_sub(pub, sub, b"t")
    pub.send(b"t: through the forwarder")
    assert sub.recv() == b"t: through the forwarder"
    pub.close(linger=0)
    sub.close(linger=0)
    ctx.term()
    t.join(10)
    assert errors == []


def test_proxy_bad_arguments(ctx):
    s = ctx.socket(zmq.PAIR)
    with pytest.raises(TypeError):
        zmq.proxy(s, "not a socket")
    with pytest.raises(TypeError):
        zmq.proxy(None, s)
    closed = ctx.socket(zmq.PAIR)
    closed.close()
    with pytest.raises(zmq.ZMQError) as info:
        zmq.proxy(s, closed)
    assert info.value.errno == zmq.ENOTSOCK
    s.close()


# close()/term()/destroy() from another thread while a proxy runs between
# the race's sock (frontend) and back (backend): zmq_testkit.races
TRAFFIC = """
import threading

def pump(op):
    # until the socket is closed under it (or its context ends)
    try:
        while True:
            op()
    except zmq.ZMQError:
        pass

def start_traffic():
    # peer -> proxy -> back_peer, and back the other way
    payload = b"x" * 64
    for op in (lambda: peer.send(payload), lambda: back_peer.send(payload),
               peer.recv, back_peer.recv):
        threading.Thread(target=pump, args=(op,), daemon=True).start()
"""

PROXY_WAITS = {
    "proxy, idle": "zmq.proxy(sock, back)",
    "proxy, under traffic": "start_traffic(); zmq.proxy(sock, back)",
    "proxy_steerable, under traffic": (
        "control = ctx.socket(zmq.PAIR); others.append(control); control.linger = 0;"
        " start_traffic(); zmq.proxy_steerable(sock, back, None, control)"
    ),
    "device, idle": "zmq.device(zmq.QUEUE, sock, back)",
}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("act, rounds", [("close", 1000), ("close backend", 1000),
                                         ("Context.destroy", 300), ("Context.term", 300)])
@pytest.mark.parametrize("wait", list(PROXY_WAITS))
def test_proxy_ends_when_another_thread_closes_or_terminates(wait, act, rounds):
    assert_race_wakes_the_waiter(PROXY_WAITS[wait], act, rounds, TRAFFIC)
