# SPDX-License-Identifier: BSD-3-Clause
"""Green device and proxy run in a greenlet, beside the code they serve."""

import gevent
from conftest import WAIT_S, green_pair
from zmq_testkit import endpoint

import zmq.green as zmq


def test_device_echo_over_one_socket(green_ctx, transport, bounded):
    # PyZMQ's green test: a device with the same socket on both sides echoes
    rep = green_ctx.socket(zmq.REP)
    rep.linger = 0
    rep.bind(endpoint(transport))
    req = green_ctx.socket(zmq.REQ)
    req.linger = 0
    req.connect(rep.last_endpoint.decode())
    dev = gevent.spawn(zmq.device, zmq.QUEUE, rep, rep)
    for word in (b"hi", b"again"):
        req.send(word)
        assert req.recv() == word
    dev.kill(block=True)
    assert isinstance(dev.value, gevent.GreenletExit)


def test_proxy_queue_with_capture(green_ctx, transport, bounded):
    frontend = green_ctx.socket(zmq.ROUTER)
    backend = green_ctx.socket(zmq.DEALER)
    capture_in, capture = green_pair(green_ctx, zmq.PULL, zmq.PUSH, transport)
    for s in (frontend, backend):
        s.linger = 0
        s.bind(endpoint(transport))
    client = green_ctx.socket(zmq.REQ)
    worker = green_ctx.socket(zmq.REP)
    for s, peer in ((client, frontend), (worker, backend)):
        s.linger = 0
        s.connect(peer.last_endpoint.decode())
    proxy = gevent.spawn(zmq.proxy, frontend, backend, capture)

    def work():
        while True:
            worker.send(worker.recv().upper())

    served = gevent.spawn(work)
    for i in range(20):
        client.send(b"job %d" % i)
        assert client.recv() == b"JOB %d" % i
    # each request and each reply was also captured
    captured = [capture_in.recv_multipart() for _ in range(40)]
    assert sum(1 for m in captured if m[-1].startswith(b"job")) == 20
    gevent.killall([proxy, served], timeout=WAIT_S)


def test_device_backend_minus_one_means_frontend(green_ctx, bounded):
    rep = green_ctx.socket(zmq.REP)
    rep.linger = 0
    rep.bind("inproc://zg-dev-1")
    req = green_ctx.socket(zmq.REQ)
    req.linger = 0
    req.connect("inproc://zg-dev-1")
    dev = gevent.spawn(zmq.device, zmq.QUEUE, rep, -1)
    req.send(b"echo")
    assert req.recv() == b"echo"
    dev.kill()
