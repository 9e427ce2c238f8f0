# SPDX-License-Identifier: BSD-3-Clause
"""Green Context: its own instance(), green sockets, a term() that lets the
other greenlets close their sockets."""

import gevent
import pytest
from conftest import WAIT_S, hub_turn

import zmq as plain_zmq
import zmq.green as zmq


def test_instance_is_green_and_its_own():
    green = zmq.Context.instance()
    assert type(green) is zmq.Context
    assert green is zmq.Context.instance()
    assert green is not plain_zmq.Context.instance()
    assert type(plain_zmq.Context.instance()) is plain_zmq.Context
    assert "zmq.green.Context" in repr(green)
    s = green.socket(zmq.PUSH)
    assert type(s) is zmq.Socket
    s.close()


def test_context_manager_and_default_options():
    with zmq.Context() as green_ctx:
        green_ctx.linger = 0
        with green_ctx.socket(zmq.PUSH) as s:
            assert s.linger == 0


def test_term_lets_waiting_greenlets_see_eterm_and_close(bounded):
    green_ctx = zmq.Context()
    pull = green_ctx.socket(zmq.PULL)
    pull.bind("inproc://zg-term")

    def serve():
        try:
            pull.recv()
        except zmq.ContextTerminated:
            pull.close(linger=0)
            return "terminated"

    server = gevent.spawn(serve)
    hub_turn()  # the greenlet just spawned is waiting now
    terminator = gevent.spawn(green_ctx.term)
    # term() returns only after serve() closed its socket: it must not hold
    # the thread while it waits
    assert terminator.get(timeout=WAIT_S) is None
    assert server.get(timeout=WAIT_S) == "terminated"
    assert green_ctx.closed


def test_destroy_wakes_waiters():
    green_ctx = zmq.Context()
    pull = green_ctx.socket(zmq.PULL)
    pull.bind("inproc://zg-destroy")
    waiting = gevent.spawn(pull.recv)
    hub_turn()  # the greenlet just spawned is waiting now
    green_ctx.destroy(linger=0)
    with pytest.raises(zmq.ZMQError):
        waiting.get(timeout=WAIT_S)
    assert pull.closed
