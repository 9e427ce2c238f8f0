# SPDX-License-Identifier: BSD-3-Clause
"""Busy-polling: a receive that waits for the answer to a send keeps the hub
turning for the budget, so a quick reply is seen without the thread going to
sleep; any other wait sleeps at once; ZMQ_BUSY_POLL_US sets the budget."""

import os
import resource

import gevent
import pytest
from conftest import WAIT_S, connected, green_pair, hub_turn
from zmq_testkit import run_python

import zmq.green as zmq
from zmq.green import _busypoll


def _sleeps():
    # voluntary context switches of this thread: each is a sleep in the
    # hub's poll (or in anything else that blocks)
    return resource.getrusage(resource.RUSAGE_THREAD).ru_nvcsw


def _cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_THREAD)
    return usage.ru_utime + usage.ru_stime


@pytest.fixture
def budget(monkeypatch):
    """Set the busy-poll budget (seconds) for one test."""
    saved = dict(_busypoll._by_hub)
    _busypoll._by_hub.clear()  # a fresh adaptive state for the test
    yield lambda seconds: monkeypatch.setattr(_busypoll, "BUDGET", seconds)
    _busypoll._by_hub.clear()
    _busypoll._by_hub.update(saved)


def test_answers_within_the_budget_are_seen_without_sleeping(green_ctx, budget, bounded):
    # Without busy-polling the thread sleeps about twice per round trip here
    # (the request and the reply each cross libzmq's I/O thread).
    budget(0.05)  # generous: a loaded machine may be slow to run the I/O thread
    rep, req = green_pair(green_ctx, zmq.REP, zmq.REQ, "tcp")
    rounds = 300

    def serve():
        for _ in range(rounds + 20):
            rep.send(rep.recv())

    server = gevent.spawn(serve)
    for _ in range(20):  # connected and warm
        req.send(b"w")
        req.recv()
    before = _sleeps()
    for i in range(rounds):
        req.send(b"%d" % i)
        assert req.recv() == b"%d" % i
    slept = _sleeps() - before
    server.get(timeout=WAIT_S)
    assert slept <= rounds // 10, slept


@pytest.mark.parametrize("kind", ["pull", "push", "dealer"])
def test_a_wait_that_is_no_answer_sleeps_at_once(green_ctx, budget, bounded, kind):
    # a stream's consumer or producer (a sender held by the high-water mark
    # too) is not waiting for an answer, nor is a receive that follows no
    # send: it sleeps at once, whatever the budget
    budget(10.0)
    if kind == "pull":
        pull, push = green_pair(green_ctx, zmq.PULL, zmq.PUSH, "tcp")
        connected(push, pull)
        waiter = gevent.spawn(pull.recv)
    elif kind == "push":
        push = green_ctx.socket(zmq.PUSH)
        push.linger = 0
        waiter = gevent.spawn(push.send, b"nobody takes this")
    else:
        a, b = green_pair(green_ctx, zmq.DEALER, zmq.DEALER, "tcp")
        connected(a, b)
        # b has waited for a message before (and sent nothing since)
        first = gevent.spawn(b.recv)
        hub_turn()
        a.send(b"one")
        assert first.get(timeout=WAIT_S) == b"one"
        waiter = gevent.spawn(b.recv)
    hub_turn()
    start = _cpu_seconds()
    gevent.sleep(0.2)  # the time under test: CPU spent over 0.2 s of waiting
    used = _cpu_seconds() - start
    assert not waiter.ready()
    waiter.kill()
    assert used < 0.05, f"{used:.3f} s of CPU in 0.2 s of waiting"


def test_a_spin_nobody_answers_ends_and_later_waits_sleep(green_ctx, budget, bounded):
    budget(0.1)  # 100 ms
    dealer = green_ctx.socket(zmq.DEALER)
    dealer.linger = 0
    router = green_ctx.socket(zmq.ROUTER)
    router.linger = 0
    port = router.bind_to_random_port("tcp://127.0.0.1")
    dealer.connect(f"tcp://127.0.0.1:{port}")
    # one answered question first: the dealer has waited for an answer
    dealer.send(b"hello")
    question = router.recv_multipart()
    answer = gevent.spawn(dealer.recv)
    hub_turn()  # the dealer waits
    router.send_multipart(question)
    assert answer.get(timeout=WAIT_S) == b"hello"
    dealer.send(b"a question nobody answers")
    waiter = gevent.spawn(dealer.recv)
    hub_turn()
    start = _cpu_seconds()
    gevent.sleep(0.3)  # the time under test: a 100 ms spin, then sleep
    used = _cpu_seconds() - start
    assert 0.03 < used < 0.25, f"{used:.3f} s of CPU in 0.3 s of waiting"
    waiter.kill()
    # nothing came during that spin: the next such wait sleeps at once
    dealer.send(b"another one")
    waiter = gevent.spawn(dealer.recv)
    hub_turn()
    start = _cpu_seconds()
    gevent.sleep(0.2)  # the time under test: a wait with the spin off
    used = _cpu_seconds() - start
    waiter.kill()
    assert used < 0.05, f"{used:.3f} s of CPU in 0.2 s of waiting"


@pytest.mark.parametrize("value, works", [("0", True), ("250", True), ("fast", False)])
def test_budget_from_the_environment(value, works):
    code = (
        "from zmq.green import _busypoll\n"
        "print(_busypoll.BUDGET)\n"
    )
    result = run_python(code, env=dict(os.environ, ZMQ_BUSY_POLL_US=value))
    if works:
        assert result.returncode == 0, result.stderr
        assert float(result.stdout) == float(value) / 1e6
    else:
        assert result.returncode != 0
        assert "ZMQ_BUSY_POLL_US must be a number of microseconds, not 'fast'" in result.stderr
