# SPDX-License-Identifier: BSD-3-Clause
"""send_json/recv_json and zmq.utils.jsonapi."""

import json

import pytest

import zmq
import zmq.serial
from zmq.utils import jsonapi


def test_round_trip(pair_sockets):
    a, b = pair_sockets
    obj = {"text": "héllo ✓", "n": [1, 2.5, None, True], "nested": {"k": "v"}}
    b.send_json(obj)
    assert a.recv_json() == obj


def test_kwargs_go_to_the_codec(pair_sockets):
    a, b = pair_sockets
    b.send_json({"b": 1, "a": 2}, sort_keys=True, separators=(",", ":"))
    raw = a.recv()
    assert raw == b'{"a":2,"b":1}'
    b.send(b'{"x": 1.5}')
    assert a.recv_json(parse_float=str) == {"x": "1.5"}


def test_unserializable_raises_before_sending(pair_sockets):
    a, b = pair_sockets
    with pytest.raises(TypeError):
        b.send_json({"set": {1, 2}})
    assert a.poll(50) == 0
    b.send_json("next")
    assert a.recv_json() == "next"


def test_invalid_json_and_utf8_name_the_codec(pair_sockets):
    a, b = pair_sockets
    b.send(b"{not json")
    with pytest.raises(zmq.serial.JSONDecodeError, match="recv_json") as info:
        a.recv_json()
    # PyZMQ code catching the standard types keeps working
    assert isinstance(info.value, json.JSONDecodeError)
    assert isinstance(info.value, ValueError)
    b.send(b"\xff\xfe")
    with pytest.raises(UnicodeDecodeError, match="recv_json"):
        a.recv_json()
    # the socket is still usable: nothing was left half-read
    b.send_json([1])
    assert a.recv_json() == [1]


def test_flags(pair_sockets):
    a, b = pair_sockets
    with pytest.raises(zmq.Again):
        a.recv_json(zmq.NOBLOCK)


def test_jsonapi():
    assert jsonapi.dumps({"a": "ü"}) == b'{"a": "\\u00fc"}'
    assert jsonapi.loads(b'{"a": 1}') == {"a": 1}
    assert jsonapi.loads('{"a": 1}') == {"a": 1}
    assert jsonapi.dumps([1], separators=(",", ":")) == b"[1]"
    assert jsonapi.jsonmod is json


def test_send_unicode_aliases(pair_sockets):
    a, b = pair_sockets
    b.send_unicode("ünicode")
    assert a.recv_unicode() == "ünicode"
