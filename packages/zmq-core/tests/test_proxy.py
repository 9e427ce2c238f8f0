# SPDX-License-Identifier: BSD-3-Clause
"""zmq.proxy, zmq.proxy_steerable and zmq.device between real sockets."""

import struct
import threading

import pytest
from zmq_testkit import configure, make_socket, sync_pub_sub
from zmq_testkit.races import PUMP, assert_race_wakes_the_waiter

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


def test_multipart_messages_go_whole_and_in_order_both_ways_with_capture():
    ctx = zmq.Context()
    front = make_socket(ctx, zmq.ROUTER, bind="inproc://mf", timeout_ms=None)
    back = make_socket(ctx, zmq.DEALER, bind="inproc://mb", timeout_ms=None)
    capture = make_socket(ctx, zmq.PAIR, bind="inproc://mc", timeout_ms=None)
    listener = make_socket(ctx, zmq.PAIR, connect="inproc://mc")
    t, errors = _start(lambda: zmq.proxy(front, back, capture), front, back, capture)
    client = make_socket(ctx, zmq.DEALER, connect="inproc://mf")
    worker = make_socket(ctx, zmq.DEALER, connect="inproc://mb")
    requests = [[b"q%d.%d" % (i, j) for j in range(1 + i % 4)] for i in range(300)]
    for parts in requests:
        client.send_multipart(parts)
    forwarded = []
    for parts in requests:
        got = worker.recv_multipart()
        # the ROUTER frontend puts the client's identity first
        assert got[1:] == parts
        forwarded.append(got)
        reply = [got[0]] + [p.replace(b"q", b"a") for p in parts]
        worker.send_multipart(reply)
        forwarded.append(reply)
    for parts in requests:
        assert client.recv_multipart() == [p.replace(b"q", b"a") for p in parts]
    # every part went to capture too, each message whole (the two directions
    # never interleave parts there), in each direction's order
    captured = [listener.recv_multipart() for _ in forwarded]
    assert sorted(captured) == sorted(forwarded)
    assert [m for m in captured if m[1].startswith(b"q")] == forwarded[0::2]
    assert [m for m in captured if m[1].startswith(b"a")] == forwarded[1::2]
    for s in (client, worker, listener):
        s.close()
    ctx.term()
    t.join(10)
    assert errors == []


def test_a_full_destination_holds_its_own_direction_only():
    # a reads, b does not: a -> b stops at the high-water marks, whole
    # messages kept, while b -> a goes on; then b gets everything, in order
    ctx = zmq.Context()
    front = make_socket(ctx, zmq.DEALER, bind="inproc://hf", timeout_ms=None)
    back = make_socket(ctx, zmq.DEALER, bind="inproc://hb", timeout_ms=None, sndhwm=2)
    t, errors = _start(lambda: zmq.proxy(front, back), front, back)
    a = make_socket(ctx, zmq.DEALER, connect="inproc://hf")
    b = make_socket(ctx, zmq.DEALER, connect="inproc://hb", rcvhwm=2)
    n = 200
    for i in range(n):
        a.send_multipart([b"to b", b"%d" % i, b"end"])
    for i in range(20):
        b.send_multipart([b"to a", b"%d" % i])
        assert a.recv_multipart() == [b"to a", b"%d" % i]
    assert not a.poll(0, zmq.POLLIN)
    for i in range(n):
        assert b.recv_multipart() == [b"to b", b"%d" % i, b"end"]
    for s in (a, b):
        s.close()
    ctx.term()
    t.join(10)
    assert errors == []


def _steered(control_type):
    ctx = zmq.Context()
    front = make_socket(ctx, zmq.PULL, bind="inproc://sf", timeout_ms=None)
    back = make_socket(ctx, zmq.PUSH, bind="inproc://sb", timeout_ms=None)
    control = make_socket(ctx, control_type, bind="inproc://sc", timeout_ms=None)
    t, errors = _start(
        lambda: zmq.proxy_steerable(front, back, None, control), front, back, control
    )
    return ctx, t, errors


def test_statistics_count_whole_messages_and_their_bytes():
    ctx, t, errors = _steered(zmq.PAIR)
    steer = make_socket(ctx, zmq.PAIR, connect="inproc://sc")
    src = make_socket(ctx, zmq.PUSH, connect="inproc://sf")
    dst = make_socket(ctx, zmq.PULL, connect="inproc://sb")
    src.send_multipart([b"ab", b"cde"])
    src.send(b"f")
    assert dst.recv_multipart() == [b"ab", b"cde"]
    assert dst.recv() == b"f"
    steer.send(b"STATISTICS")
    stats = steer.recv_multipart()
    assert [len(f) for f in stats] == [8] * 8
    # frontend: messages in, bytes in, messages out, bytes out; then backend
    assert [struct.unpack("=Q", f)[0] for f in stats] == [2, 6, 0, 0, 0, 0, 2, 6]
    steer.send(b"TERMINATE")
    t.join(10)
    assert not t.is_alive() and errors == []
    for s in (steer, src, dst):
        s.close()
    ctx.term()


def test_a_rep_control_socket_gets_an_answer_to_every_command():
    ctx, t, errors = _steered(zmq.REP)
    steer = make_socket(ctx, zmq.REQ, connect="inproc://sc")
    src = make_socket(ctx, zmq.PUSH, connect="inproc://sf")
    dst = make_socket(ctx, zmq.PULL, connect="inproc://sb")
    steer.send(b"PAUSE")
    assert steer.recv() == b""
    src.send(b"held")
    assert dst.poll(100) == 0
    # an unknown command changes nothing (libzmq 4.3.4 aborts the process)
    steer.send(b"HELLO")
    assert steer.recv() == b""
    steer.send(b"STATISTICS")
    assert len(steer.recv_multipart()) == 8
    steer.send(b"RESUME")
    assert steer.recv() == b""
    assert dst.recv() == b"held"
    steer.send(b"TERMINATE")
    assert steer.recv() == b""
    t.join(10)
    assert not t.is_alive() and errors == []
    for s in (steer, src, dst):
        s.close()
    ctx.term()


def test_another_thread_waiting_on_a_proxy_socket_is_woken():
    # the proxy reads the backend's events (and so takes in the FD edge)
    # when a peer connects: the thread that waits in poll() on the same
    # socket for POLLOUT must hear of it too
    ctx = zmq.Context()
    front = make_socket(ctx, zmq.PULL, bind="inproc://wf", timeout_ms=None)
    back = make_socket(ctx, zmq.PUSH, bind="inproc://wb", timeout_ms=None)
    t, errors = _start(lambda: zmq.proxy(front, back), front, back)
    src = make_socket(ctx, zmq.PUSH, connect="inproc://wf")
    src.send(b"waits for a reader")
    seen = []
    polling = threading.Event()

    def poll():
        polling.set()
        seen.append(back.poll(10_000, zmq.POLLOUT))

    poller = threading.Thread(target=poll)
    poller.start()
    polling.wait(10)
    dst = make_socket(ctx, zmq.PULL, connect="inproc://wb")
    assert dst.recv() == b"waits for a reader"
    poller.join(15)
    assert seen == [zmq.POLLOUT]
    for s in (src, dst):
        s.close()
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
TRAFFIC = PUMP + """


def start_traffic():
    # peer -> proxy -> back_peer, and back the other way
    payload = b"x" * 64
    start_pumps(lambda: peer.send(payload), lambda: back_peer.send(payload),
                peer.recv, back_peer.recv)
"""

PROXY_WAITS = {
    "proxy, idle": "zmq.proxy(sock, back)",
    "proxy, under traffic": "start_traffic(); zmq.proxy(sock, back)",
    "proxy_steerable, under traffic": (
        "control = ctx.socket(zmq.PAIR); others.append(control); control.linger = 0",
        "start_traffic(); zmq.proxy_steerable(sock, back, None, control)",
    ),
    "device, idle": "zmq.device(zmq.QUEUE, sock, back)",
}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("act, rounds", [("close", 1000), ("close backend", 1000),
                                         ("Context.destroy", 1000), ("Context.term", 1000)])
@pytest.mark.parametrize("wait", list(PROXY_WAITS))
def test_proxy_ends_when_another_thread_closes_or_terminates(wait, act, rounds):
    assert_race_wakes_the_waiter(PROXY_WAITS[wait], act, rounds, TRAFFIC)
