# SPDX-License-Identifier: BSD-3-Clause
"""Sockets shared between threads (issue #22): any method from any thread,
blocking calls that wait outside libzmq so that other threads' calls go
through, and close()/term()/destroy() from another thread waking whoever is
blocked on the socket with a clean error.

The races (zmq_testkit.races) run in a child process: before this worked,
a close() from another thread tripped a libzmq assertion (SIGABRT) or hung,
which would take the test runner down with it."""

import threading

import pytest
from zmq_testkit import connected_pair, make_socket
from zmq_testkit.races import assert_race_wakes_the_waiter

import zmq

WAITS = {
    "recv": "sock.recv()",
    "recv_multipart, copy=False": "sock.recv_multipart(copy=False)",
    "recv with RCVTIMEO": "sock.setsockopt(zmq.RCVTIMEO, 10_000); sock.recv()",
    "Socket.poll": "sock.poll()",
    "Poller.poll": "poller.poll()",
    "zmq.select": "zmq.select([sock], [], [])",
}


def _race(wait, act, rounds):
    assert_race_wakes_the_waiter(WAITS[wait], act, rounds)


@pytest.mark.parametrize("wait", list(WAITS))
def test_close_from_another_thread_wakes_the_waiter(wait):
    _race(wait, "close", 1000)


@pytest.mark.parametrize("act", ["Context.destroy", "Context.term"])
@pytest.mark.parametrize("wait", ["recv", "Poller.poll"])
def test_context_end_from_another_thread_wakes_the_waiter(wait, act):
    _race(wait, act, 1000)


@pytest.mark.parametrize("hwm", [1000, 4])
def test_one_dealer_shared_by_a_sending_and_a_receiving_thread(ctx, hwm):
    # PyZMQ's rule is one socket per thread; here a send from one thread
    # goes through while another waits in recv on the same socket. With a
    # small HWM the sender waits too (for POLLOUT) while the receiver waits
    # for POLLIN: each one's calls must wake the other
    n = 20_000
    # a ROUTER drops what a full peer cannot take, unless mandatory (then
    # it waits): only the DEALER's HWMs are small
    router = make_socket(ctx, zmq.ROUTER, bind="tcp://127.0.0.1:*", timeout_ms=10_000,
                         router_mandatory=1)
    dealer = make_socket(ctx, zmq.DEALER, connect=router.last_endpoint.decode(),
                         timeout_ms=10_000, sndhwm=hwm, rcvhwm=hwm)
    received, failures = [], []

    def guarded(fn):
        def run():
            try:
                fn()
            except Exception as e:
                failures.append(e)
        return threading.Thread(target=run)

    def echo():
        for _ in range(n):
            router.send_multipart(router.recv_multipart())

    def receive():
        for _ in range(n):
            received.append(dealer.recv())

    threads = [guarded(echo), guarded(receive)]
    for t in threads:
        t.start()
    for i in range(n):
        dealer.send(b"%d" % i)
    for t in threads:
        t.join(60)
    assert not failures
    assert received == [b"%d" % i for i in range(n)]


def test_poll_in_one_thread_sees_what_another_threads_send_brought(ctx):
    # thread A waits in Socket.poll on a DEALER; thread B's send on that
    # DEALER makes libzmq read the commands A's FD signalled: B's call must
    # wake A, or A sleeps past the reply
    router, dealer = connected_pair(ctx, zmq.ROUTER, zmq.DEALER, "inproc", timeout_ms=10_000)
    for i in range(200):
        seen = []
        waiting = threading.Event()

        def poll(waiting=waiting, seen=seen):
            waiting.set()
            seen.append(dealer.poll(10_000, zmq.POLLIN))

        t = threading.Thread(target=poll)
        t.start()
        waiting.wait(5)
        dealer.send(b"ping %d" % i)
        router.send_multipart(router.recv_multipart())
        t.join(15)
        assert seen == [zmq.POLLIN]
        assert dealer.recv() == b"ping %d" % i


def test_rcvtimeo_keeps_its_meaning_while_another_thread_uses_the_socket(ctx):
    # the waiting recv() is woken by every send of the other thread; it
    # looks again, and still gives up at its own deadline, not later
    import time

    sink, dealer = connected_pair(ctx, zmq.ROUTER, zmq.DEALER, "inproc")
    dealer.rcvtimeo = 200
    stop = threading.Event()

    def keep_sending():
        while not stop.is_set():
            dealer.send(b"noise")
            sink.recv_multipart()

    t = threading.Thread(target=keep_sending)
    t.start()
    try:
        started = time.monotonic()
        with pytest.raises(zmq.Again):
            dealer.recv()
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        t.join(10)
    assert 0.15 < elapsed < 5
