# SPDX-License-Identifier: BSD-3-Clause
"""Socket monitoring and zmq.utils.monitor."""

import struct

import pytest
from zmq_testkit import configure, make_socket, wait_for_event

import zmq
from zmq.utils.monitor import parse_monitor_message, recv_monitor_message


def test_monitor_sees_listening_connected_disconnected(ctx):
    server = configure(ctx.socket(zmq.PULL))
    mon = configure(server.get_monitor_socket())
    assert server.get_monitor_socket() is mon  # one per socket
    port = server.bind_to_random_port("tcp://127.0.0.1")
    listening = wait_for_event(mon, zmq.EVENT_LISTENING)
    assert listening["endpoint"] == f"tcp://127.0.0.1:{port}".encode()
    client = make_socket(ctx, zmq.PUSH, connect=f"tcp://127.0.0.1:{port}")
    accepted = wait_for_event(mon, zmq.EVENT_ACCEPTED)
    assert isinstance(accepted["event"], zmq.Event)
    assert accepted["value"] > 0  # the accepted fd
    wait_for_event(mon, zmq.EVENT_HANDSHAKE_SUCCEEDED)
    client.close(linger=0)
    wait_for_event(mon, zmq.EVENT_DISCONNECTED)
    server.disable_monitor()
    wait_for_event(mon, zmq.EVENT_MONITOR_STOPPED)
    mon.close()


def test_monitor_with_event_filter_and_address(ctx):
    s = configure(ctx.socket(zmq.PUSH))
    mon = configure(s.get_monitor_socket(zmq.EVENT_CONNECT_DELAYED, addr="inproc://mon-x"))
    s.connect("tcp://127.0.0.1:1")  # nothing listens: the connect is delayed
    event = recv_monitor_message(mon)
    assert event["event"] == zmq.EVENT_CONNECT_DELAYED
    assert event["endpoint"] == b"tcp://127.0.0.1:1"
    mon.close()


def test_parse_monitor_message():
    msg = [struct.pack("=Hi", int(zmq.EVENT_CONNECTED), 7), b"tcp://x:1"]
    assert parse_monitor_message(msg) == {
        "event": zmq.EVENT_CONNECTED,
        "value": 7,
        "endpoint": b"tcp://x:1",
    }
    with pytest.raises(RuntimeError):
        parse_monitor_message([b"short", b"x"])
    with pytest.raises(RuntimeError):
        parse_monitor_message([b"only one frame"])
