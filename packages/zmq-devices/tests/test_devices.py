# SPDX-License-Identifier: BSD-3-Clause
"""Devices, proxies and monitored queues moving messages both ways, in
threads and processes, and stopping cleanly."""

import struct
import threading

import pytest
from zmq_testkit import configure, drain, endpoint, make_socket, run_python, until_received

import zmq
import zmq.devices as devices
from zmq.devices import monitored_queue


def req_rep_through(ctx, front, back, rounds=3, word=b"question"):
    req = make_socket(ctx, zmq.REQ, connect=front)
    rep = make_socket(ctx, zmq.REP, connect=back)
    try:
        for i in range(rounds):
            req.send(b"%s %d" % (word, i))
            assert rep.recv() == b"%s %d" % (word, i)
            rep.send(b"answer %d" % i)
            assert req.recv() == b"answer %d" % i
    finally:
        req.close()
        rep.close()


def start_monitored(ctx, dev):
    """Bind a device's in, out and monitor sockets to fresh inproc
    endpoints and start it; returns (front, back, sub): sub is subscribed to
    the monitor and ready once a sync round trip shows on it (earlier ones
    are lost: the slow joiner)."""
    front, back, mon = (endpoint("inproc", name) for name in ("front", "back", "mon"))
    dev.bind_in(front)
    dev.bind_out(back)
    dev.bind_mon(mon)
    dev.start()
    sub = configure(ctx.socket(zmq.SUB))
    sub.subscribe(b"")
    sub.connect(mon)
    until_received(sub, lambda: req_rep_through(ctx, front, back, rounds=1, word=b"sync"),
                   poll_ms=50)
    drain(sub)
    return front, back, sub


def test_thread_device_queue(instance_ctx):
    dev = devices.ThreadDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER)
    front, back = endpoint("inproc", "front"), endpoint("inproc", "back")
    dev.bind_in(front)
    dev.bind_out(back)
    dev.setsockopt_in(zmq.LINGER, 0)
    assert dev.daemon is True
    dev.start()
    req_rep_through(instance_ctx, front, back)
    dev.stop()
    assert not dev.launcher.is_alive()
    assert dev.done


def test_thread_device_random_ports(instance_ctx):
    dev = devices.ThreadDevice(zmq.STREAMER, zmq.PULL, zmq.PUSH)
    in_port = dev.bind_in_to_random_port("tcp://127.0.0.1")
    out_port = dev.bind_out_to_random_port("tcp://127.0.0.1")
    assert in_port != out_port
    dev.start()
    push = make_socket(instance_ctx, zmq.PUSH, connect=f"tcp://127.0.0.1:{in_port}")
    pull = make_socket(instance_ctx, zmq.PULL, connect=f"tcp://127.0.0.1:{out_port}")
    for i in range(20):
        push.send(b"%d" % i)
    assert [int(pull.recv()) for _ in range(20)] == list(range(20))
    push.close()
    pull.close()
    dev.stop()


def test_foreground_device_runs_until_stopped(instance_ctx):
    dev = devices.Device(zmq.QUEUE, zmq.ROUTER, zmq.DEALER)
    front, back = endpoint("inproc", "fg-front"), endpoint("inproc", "fg-back")
    dev.bind_in(front)
    dev.bind_out(back)
    t = threading.Thread(target=dev.start)
    t.start()
    req_rep_through(instance_ctx, front, back)
    dev.stop()
    t.join(5)
    assert not t.is_alive() and dev.done


def test_thread_proxy_monitor_sees_both_ways(instance_ctx):
    dev = devices.ThreadProxy(zmq.ROUTER, zmq.DEALER, zmq.PUB)
    front, back, sub = start_monitored(instance_ctx, dev)
    req_rep_through(instance_ctx, front, back, rounds=1)
    seen = []
    while sub.poll(300):
        seen.append(sub.recv_multipart())
    flat = [frame for msg in seen for frame in msg]
    assert b"question 0" in flat and b"answer 0" in flat
    sub.close()
    dev.stop()


def test_thread_monitored_queue_prefixes(instance_ctx):
    dev = devices.ThreadMonitoredQueue(zmq.ROUTER, zmq.DEALER, zmq.PUB, b"IN", b"OUT")
    front, back, sub = start_monitored(instance_ctx, dev)
    req_rep_through(instance_ctx, front, back, rounds=1)
    copies = [sub.recv_multipart(), sub.recv_multipart()]
    assert copies[0][0] == b"IN" and copies[0][-1] == b"question 0"
    assert copies[1][0] == b"OUT" and copies[1][-1] == b"answer 0"
    sub.close()
    dev.stop()


def test_thread_proxy_steerable_commands(instance_ctx):
    dev = devices.ThreadProxySteerable(zmq.PULL, zmq.PUSH, zmq.PUB, zmq.PAIR)
    front, back, ctrl = endpoint("inproc", "sf"), endpoint("inproc", "sb"), endpoint("inproc", "sc")
    dev.bind_in(front)
    dev.bind_out(back)
    dev.bind_ctrl(ctrl)
    dev.start()
    push = make_socket(instance_ctx, zmq.PUSH, connect=front)
    pull = make_socket(instance_ctx, zmq.PULL, connect=back)
    steer = make_socket(instance_ctx, zmq.PAIR, connect=ctrl)
    push.send(b"a")
    assert pull.recv() == b"a"
    steer.send(b"PAUSE")
    # commands are handled in order: once STATISTICS is answered, the proxy
    # is paused
    steer.send(b"STATISTICS")
    steer.recv_multipart()
    push.send(b"b")
    assert pull.poll(200) == 0
    steer.send(b"RESUME")
    assert pull.recv() == b"b"
    steer.send(b"STATISTICS")
    stats = [struct.unpack("=Q", f)[0] for f in steer.recv_multipart()]
    assert stats[0] == 2
    # a PAIR control socket has one peer, ours: stop() says so
    with pytest.raises(RuntimeError, match="TERMINATE"):
        dev.stop()
    steer.send(b"TERMINATE")
    dev.join(5)
    assert not dev.launcher.is_alive()
    for s in (push, pull, steer):
        s.close()


def test_thread_proxy_steerable_stop_through_sub_control(instance_ctx):
    dev = devices.ThreadProxySteerable(zmq.PULL, zmq.PUSH, zmq.PUB, zmq.SUB)
    dev.bind_in(endpoint("inproc", "ssf"))
    dev.bind_out(endpoint("inproc", "ssb"))
    dev.setsockopt_ctrl(zmq.SUBSCRIBE, b"")
    dev.start()
    dev.stop()  # a PUB peer on the control SUB's extra endpoint
    assert not dev.launcher.is_alive()


@pytest.mark.parametrize(
    "make",
    [
        lambda: devices.ProcessDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER),
        lambda: devices.ProcessProxy(zmq.ROUTER, zmq.DEALER, zmq.PUB),
        lambda: devices.ProcessMonitoredQueue(zmq.ROUTER, zmq.DEALER, zmq.PUB),
        lambda: devices.ProcessProxySteerable(zmq.ROUTER, zmq.DEALER, zmq.PUB, zmq.PAIR),
    ],
    ids=["device", "proxy", "monitored-queue", "steerable"],
)
def test_process_devices(ctx, make):
    dev = make()
    front, back = endpoint("ipc", "front"), endpoint("ipc", "back")
    dev.bind_in(front)
    dev.bind_out(back)
    if hasattr(dev, "bind_mon"):
        dev.bind_mon(endpoint("ipc", "mon"))
    if hasattr(dev, "bind_ctrl"):
        dev.bind_ctrl(endpoint("ipc", "ctrl"))
    dev.start()
    req_rep_through(ctx, front, back)
    dev.stop()
    assert not dev.launcher.is_alive()
    assert dev.launcher.exitcode == 0  # SIGTERM became a clean exit
    assert dev.done
    assert dev.error is None


@pytest.mark.parametrize(
    "make",
    [
        lambda: devices.ProcessDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER),
        lambda: devices.ProcessProxy(zmq.ROUTER, zmq.DEALER, zmq.PUB),
    ],
    ids=["device", "proxy"],
)
def test_process_device_failure_reaches_the_parent(make):
    dev = make()
    dev.bind_in("tcp://not-an-endpoint")
    dev.bind_out(endpoint("ipc", "back"))
    with pytest.raises(zmq.ZMQError) as info:
        dev.start()
    assert info.value.errno == zmq.EINVAL
    dev.join(10)
    assert dev.launcher.exitcode not in (0, None)
    assert isinstance(dev.error, zmq.ZMQError)


def test_process_device_port_in_use_reaches_the_parent(ctx):
    blocker = ctx.socket(zmq.PULL)
    port = blocker.bind_to_random_port("tcp://127.0.0.1")
    dev = devices.ProcessDevice(zmq.STREAMER, zmq.PULL, zmq.PUSH)
    dev.bind_in(f"tcp://127.0.0.1:{port}")
    dev.bind_out("tcp://127.0.0.1:*")
    try:
        with pytest.raises(zmq.ZMQError) as info:
            dev.start()
        assert info.value.errno == zmq.EADDRINUSE
        dev.join(10)
        assert dev.launcher.exitcode not in (0, None)
    finally:
        blocker.close(linger=0)


def test_launcher_attribute(instance_ctx):
    dev = devices.ThreadDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER)
    assert dev.launcher is None  # as in PyZMQ, before start()
    dev.stop()  # nothing to stop yet
    dev.bind_in(endpoint("inproc", "l-front"))
    dev.bind_out(endpoint("inproc", "l-back"))
    dev.start()
    assert isinstance(dev.launcher, threading.Thread) and dev.launcher.is_alive()
    dev.stop()
    assert not dev.launcher.is_alive()
    assert devices.ProcessDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER).launcher is None


@pytest.mark.parametrize("side", ["in", "out"])
def test_single_socket_device_connecting(instance_ctx, side):
    # out_type < 0: one REP socket that answers each request with itself
    req = configure(instance_ctx.socket(zmq.REQ))
    port = req.bind_to_random_port("tcp://127.0.0.1")
    dev = devices.ThreadDevice(zmq.QUEUE, zmq.REP, -1)
    getattr(dev, f"connect_{side}")(f"tcp://127.0.0.1:{port}")
    dev.start()
    for i in range(3):
        req.send(b"echo %d" % i)
        assert req.recv() == b"echo %d" % i
    req.close()
    dev.stop()
    assert dev.done


def test_single_socket_device_binding(instance_ctx):
    dev = devices.ThreadDevice(zmq.QUEUE, zmq.REP, -1)
    port = dev.bind_in_to_random_port("tcp://127.0.0.1")
    dev.start()
    req = make_socket(instance_ctx, zmq.REQ, connect=f"tcp://127.0.0.1:{port}")
    req.send(b"hello")
    assert req.recv() == b"hello"
    req.close()
    dev.stop()


def test_monitored_queue_router_to_router_swaps_ids(ctx):
    ins = ctx.socket(zmq.ROUTER)
    ins.bind(endpoint("inproc", "rr-in"))
    outs = ctx.socket(zmq.ROUTER)
    outs.bind(endpoint("inproc", "rr-out"))
    mon = ctx.socket(zmq.PUB)
    ctrl = ctx.socket(zmq.PAIR)
    ctrl_url = endpoint("inproc", "rr-ctrl")
    ctrl.bind(ctrl_url)

    def run():
        monitored_queue(ins, outs, mon, b"in", b"out", ctrl)

    t = threading.Thread(target=run)
    t.start()
    client = configure(ctx.socket(zmq.DEALER))
    client.routing_id = b"client"
    client.connect(ins.last_endpoint.decode())
    worker = configure(ctx.socket(zmq.DEALER))
    worker.routing_id = b"worker"
    worker.connect(outs.last_endpoint.decode())
    # ready once the ROUTERs know both peers: probes to the worker are
    # dropped until then
    probe = until_received(worker, lambda: client.send_multipart([b"worker", b"probe"]),
                           poll_ms=50)
    assert probe == [b"client", b"probe"]
    assert all(m == [b"client", b"probe"] for m in drain(worker))
    # addressed to the worker: [worker-id, payload] from the client's side
    client.send_multipart([b"worker", b"job"])
    assert worker.recv_multipart() == [b"client", b"job"]
    worker.send_multipart([b"client", b"done"])
    assert client.recv_multipart() == [b"worker", b"done"]
    stop = ctx.socket(zmq.PAIR)
    stop.connect(ctrl_url)
    stop.send(b"TERMINATE")
    t.join(5)
    assert not t.is_alive()
    for s in (ins, outs, mon, ctrl, client, worker, stop):
        s.close(linger=0)


def test_monitored_queue_ends_on_context_termination():
    c = zmq.Context()
    ins, outs = c.socket(zmq.PULL), c.socket(zmq.PUSH)
    errors = []

    def run():
        try:
            monitored_queue(ins, outs, None)
        except zmq.ContextTerminated as e:
            errors.append(e)
        ins.close(linger=0)
        outs.close(linger=0)

    t = threading.Thread(target=run)
    t.start()
    # whether the queue is already running or starts after this, it ends
    # with ContextTerminated and its sockets closed
    c.term()
    t.join(5)
    assert len(errors) == 1


def test_monitored_queue_moves_many_messages_in_order(ctx):
    ins = ctx.socket(zmq.PULL)
    in_url = endpoint("inproc", "many-in")
    ins.bind(in_url)
    outs = ctx.socket(zmq.PUSH)
    out_url = endpoint("inproc", "many-out")
    outs.bind(out_url)
    mon = ctx.socket(zmq.PUB)
    ctrl = ctx.socket(zmq.PAIR)
    ctrl_url = endpoint("inproc", "many-ctrl")
    ctrl.bind(ctrl_url)
    t = threading.Thread(target=monitored_queue, args=(ins, outs, mon, b"i", b"o", ctrl))
    t.start()
    push = make_socket(ctx, zmq.PUSH, connect=in_url)
    pull = make_socket(ctx, zmq.PULL, connect=out_url)
    n = 20_000
    sender = threading.Thread(
        target=lambda: [push.send_multipart([b"%d" % i, b"x"]) for i in range(n)]
    )
    sender.start()
    got = [int(pull.recv_multipart()[0]) for _ in range(n)]
    sender.join(10)
    assert got == list(range(n))
    stop = ctx.socket(zmq.PAIR)
    stop.connect(ctrl_url)
    stop.send(b"TERMINATE")
    t.join(5)
    for s in (ins, outs, mon, ctrl, push, pull, stop):
        s.close(linger=0)


def test_bad_input(instance_ctx):
    with pytest.raises(TypeError):
        devices.Device(zmq.QUEUE, None, zmq.DEALER)
    with pytest.raises(TypeError):
        devices.ThreadProxySteerable(zmq.PULL, zmq.PUSH)
    with pytest.raises(TypeError):
        devices.ThreadMonitoredQueue(zmq.PULL, zmq.PUSH, zmq.PUB, "str prefix")
    s = instance_ctx.socket(zmq.PULL)
    with pytest.raises(TypeError):
        monitored_queue(s, "not a socket", None)
    closed = instance_ctx.socket(zmq.PUSH)
    closed.close()
    with pytest.raises(zmq.ZMQError) as info:
        monitored_queue(s, closed, None)
    assert info.value.errno == zmq.ENOTSOCK
    s.close()
    # a bad endpoint surfaces from start(), not silently in the thread
    dev = devices.ThreadDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER)
    dev.bind_in("tcp://not-an-endpoint")
    with pytest.raises(zmq.ZMQError):
        dev.start()


def test_thread_devices_stop_at_interpreter_exit():
    code = """
        import zmq, zmq.devices
        dev = zmq.devices.ThreadDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER)
        dev.bind_in("tcp://127.0.0.1:*")
        dev.bind_out("tcp://127.0.0.1:*")
        dev.start()
        print("running", flush=True)
        """
    out = run_python(code, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "running" in out.stdout
