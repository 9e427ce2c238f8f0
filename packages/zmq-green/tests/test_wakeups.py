# SPDX-License-Identifier: BSD-3-Clause
"""What PyZMQ's zmq.green gets wrong: wake-ups lost to another greenlet's
call, busy polling while idle, one waiter per socket, and waiters killed
while they wait."""

import resource

import gevent
import pytest
from conftest import WAIT_S, connected, green_pair, hub_turn
from zmq_testkit import endpoint

import zmq.green as zmq


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- lost wake-ups --------------------------------------------------------------


@pytest.mark.parametrize("drain", ["events", "poll", "poller", "send"])
def test_wakeup_drained_by_another_greenlet_is_not_lost(green_ctx, drain, bounded):
    # inproc delivery signals the receiver's FD at once; the call below then
    # processes that signal in this greenlet, so the FD is quiet again and
    # only the green socket's own bookkeeping can wake the waiter
    a, b = green_pair(green_ctx, zmq.DEALER, zmq.DEALER, "inproc")
    connected(a, b)
    waiter = gevent.spawn(b.recv)
    hub_turn()
    assert not waiter.ready()
    a.send(b"wake up")
    if drain == "events":
        assert b.get(zmq.EVENTS) & zmq.POLLIN
    elif drain == "poll":
        assert b.poll(0) == zmq.POLLIN
    elif drain == "poller":
        poller = zmq.Poller()
        poller.register(b, zmq.POLLIN)
        assert poller.poll(0)
    else:
        b.send(b"to a", zmq.NOBLOCK)
    assert waiter.get(timeout=WAIT_S) == b"wake up"


def test_message_arriving_between_events_check_and_sleep_wakes(green_ctx, monkeypatch, bounded):
    # the peer sends right after the waiter's last look at ZMQ_EVENTS and
    # before it sleeps: the FD watcher, armed before that look, must fire
    import zmq.green._readiness as readiness

    a, b = green_pair(green_ctx, zmq.DEALER, zmq.DEALER, "inproc")
    connected(a, b)
    real_get = readiness._get_option
    injected = []

    def get_then_send(sock, option):
        value = real_get(sock, option)
        if sock is b and not injected:
            injected.append(True)
            a.send(b"just in time")
        return value

    monkeypatch.setattr(readiness, "_get_option", get_then_send)
    assert b.recv() == b"just in time"
    assert injected


def test_woken_waiter_killed_before_it_runs_passes_the_turn_on(green_ctx, bounded):
    a, b = green_pair(green_ctx, zmq.DEALER, zmq.DEALER, "inproc")
    connected(a, b)
    first = gevent.spawn(b.recv)
    second = gevent.spawn(b.recv)
    hub_turn()
    # the kill is delivered first, then the wake-up that poll(0) hands to
    # the first waiter: it leaves without receiving, so the second must get it
    first.kill(block=False)
    a.send(b"only one")
    assert b.poll(0) == zmq.POLLIN
    assert second.get(timeout=WAIT_S) == b"only one"
    assert isinstance(first.value, gevent.GreenletExit)


# -- no busy polling ----------------------------------------------------------------


@pytest.mark.parametrize("what", ["recv", "poller", "socket-poll", "send"])
def test_idle_wait_uses_no_cpu(green_ctx, transport, what):
    a, b = green_pair(green_ctx, zmq.PAIR, zmq.PAIR, transport)
    connected(a, b)
    # a message waits unread in a: the waits below are on b, which has none
    b.send(b"unread")
    if what == "recv":
        waiter = gevent.spawn(b.recv)
    elif what == "poller":
        poller = zmq.Poller()
        poller.register(b, zmq.POLLIN)
        waiter = gevent.spawn(poller.poll, 10_000)
    elif what == "socket-poll":
        waiter = gevent.spawn(b.poll, 10_000)
    else:
        push = green_ctx.socket(zmq.PUSH)
        push.linger = 0
        waiter = gevent.spawn(push.send, b"nobody takes this")
    hub_turn()
    start = cpu_seconds()
    gevent.sleep(1.0)  # the time under test: CPU spent over a second of waiting
    used = cpu_seconds() - start
    assert not waiter.ready()
    waiter.kill()
    # a wait that polls costs a good part of the second; a sleeping one ~0
    assert used < 0.05, f"{used:.3f} s of CPU in 1 s of waiting"


def test_many_idle_pollers_use_no_cpu(green_ctx):
    sockets = [green_pair(green_ctx, zmq.PAIR, zmq.PAIR, "tcp") for _ in range(20)]
    pollers = []
    for a, b in sockets:
        p = zmq.Poller()
        p.register(a, zmq.POLLIN)
        p.register(b, zmq.POLLIN)
        pollers.append(gevent.spawn(p.poll))
    hub_turn()
    start = cpu_seconds()
    gevent.sleep(1.0)  # the time under test: CPU spent over a second of waiting
    used = cpu_seconds() - start
    gevent.killall(pollers)
    assert used < 0.05, f"{used:.3f} s of CPU in 1 s of waiting"


# -- many waiters ---------------------------------------------------------------------


@pytest.mark.parametrize("n", [3000])
def test_thousands_of_waiters_each_get_exactly_one(green_ctx, transport, n, bounded):
    pull, push = green_pair(green_ctx, zmq.PULL, zmq.PUSH, transport)
    receivers = [gevent.spawn(pull.recv) for _ in range(n)]
    hub_turn()
    for i in range(n):
        push.send(b"%d" % i)
    gevent.joinall(receivers, timeout=WAIT_S * 2, raise_error=True)
    got = [g.value for g in receivers]
    assert all(g.successful() for g in receivers)
    assert sorted(got) == sorted(b"%d" % i for i in range(n))
    # nothing left over, nothing delivered twice
    assert pull.poll(50) == 0


def test_many_waiting_senders_each_send_once(green_ctx, transport, bounded):
    push = green_ctx.socket(zmq.PUSH)
    push.linger = 0
    push.sndhwm = 1
    senders = [gevent.spawn(push.send, b"%d" % i) for i in range(500)]
    hub_turn()
    pull = green_ctx.socket(zmq.PULL)
    pull.linger = 0
    pull.rcvhwm = 1
    pull.bind(endpoint(transport))
    push.connect(pull.last_endpoint.decode())
    got = [pull.recv() for _ in range(500)]
    gevent.joinall(senders, timeout=WAIT_S, raise_error=True)
    assert sorted(got) == sorted(b"%d" % i for i in range(500))
    assert pull.poll(50) == 0


# -- killed waiters ---------------------------------------------------------------


def test_killed_waiters_lose_no_message(green_ctx, transport, bounded):
    pull, push = green_pair(green_ctx, zmq.PULL, zmq.PUSH, transport)
    waiters = [gevent.spawn(pull.recv_multipart) for _ in range(200)]
    hub_turn()
    killed, kept = waiters[::2], waiters[1::2]
    gevent.killall(killed)
    for i in range(len(kept)):
        push.send_multipart([b"part", b"%d" % i])
    gevent.joinall(kept, timeout=WAIT_S, raise_error=True)
    assert sorted(g.value[1] for g in kept) == sorted(b"%d" % i for i in range(len(kept)))
    assert all(isinstance(g.value, gevent.GreenletExit) for g in killed)
    # the socket still works, and nothing was left behind
    assert pull.poll(50) == 0
    push.send(b"after")
    assert pull.recv() == b"after"


def test_killed_while_messages_arrive(green_ctx, transport, bounded):
    # kills racing with deliveries: every message ends up in exactly one
    # surviving greenlet's result or is still on the socket
    pull, push = green_pair(green_ctx, zmq.PULL, zmq.PUSH, transport)
    waiters = [gevent.spawn(pull.recv) for _ in range(300)]
    hub_turn()
    for i in range(300):
        push.send(b"%d" % i)
        if i % 3 == 0:
            waiters[i].kill(block=False)
    gevent.joinall(waiters, timeout=WAIT_S)
    received = [g.value for g in waiters if g.successful() and isinstance(g.value, bytes)]
    while pull.poll(100):
        received.append(pull.recv())
    assert sorted(received) == sorted(b"%d" % i for i in range(300))
