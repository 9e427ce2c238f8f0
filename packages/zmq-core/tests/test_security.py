# SPDX-License-Identifier: BSD-3-Clause
"""CURVE and PLAIN security, CURVE keys and Z85."""

import json
import os
import subprocess
import sys
import threading

import pytest
from zmq_testkit import configure

import zmq
from zmq.utils import z85

pytestmark = pytest.mark.skipif(not zmq.has("curve"), reason="libzmq without CURVE")


def test_curve_keypair_and_public():
    public, secret = zmq.curve_keypair()
    assert len(public) == len(secret) == 40
    assert zmq.curve_public(secret) == public
    assert len(z85.decode(public)) == 32
    with pytest.raises(ValueError):
        zmq.curve_public(b"too short")


def test_z85_round_trip():
    data = os.urandom(32)
    text = z85.encode(data)
    assert len(text) == 40
    assert z85.decode(text) == data
    assert z85.decode(text.decode()) == data
    # the example of ZeroMQ RFC 32
    assert z85.encode(bytes([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])) == b"HelloWorld"
    with pytest.raises(ValueError):
        z85.encode(b"abc")
    with pytest.raises(ValueError):
        z85.decode(b"abcd")
    with pytest.raises(ValueError):
        z85.decode(b"\x00bcde")


def _curve_server(ctx, server_secret):
    server = configure(ctx.socket(zmq.PULL))
    server.curve_server = 1
    server.curve_secretkey = server_secret
    port = server.bind_to_random_port("tcp://127.0.0.1")
    return server, port


def _curve_client(ctx, port, server_public):
    client = configure(ctx.socket(zmq.PUSH))
    public, secret = zmq.curve_keypair()
    client.curve_publickey = public
    client.curve_secretkey = secret
    client.curve_serverkey = server_public
    client.connect(f"tcp://127.0.0.1:{port}")
    return client


def test_curve_accepts_the_right_server_key(ctx):
    server_public, server_secret = zmq.curve_keypair()
    server, port = _curve_server(ctx, server_secret)
    client = _curve_client(ctx, port, server_public)
    client.send(b"secret message")
    assert server.recv() == b"secret message"
    assert server.mechanism == zmq.CURVE
    assert server.getsockopt_string(zmq.CURVE_SECRETKEY) == server_secret.decode()


def test_curve_never_delivers_with_a_wrong_server_key(ctx):
    _, server_secret = zmq.curve_keypair()
    wrong_public, _ = zmq.curve_keypair()
    server, port = _curve_server(ctx, server_secret)
    mon = configure(server.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
                                              | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
                                              | zmq.EVENT_HANDSHAKE_FAILED_AUTH))
    client = _curve_client(ctx, port, wrong_public)
    if client.poll(1000, zmq.POLLOUT):
        client.send(b"must not arrive", zmq.NOBLOCK)
    assert server.poll(500) == 0
    # the server saw the handshake fail
    assert mon.poll(5000)
    from zmq.utils.monitor import recv_monitor_message

    event = recv_monitor_message(mon)
    assert event["event"] & (
        zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
        | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
        | zmq.EVENT_HANDSHAKE_FAILED_AUTH
    )
    mon.close()


class ZapHandler:
    """A minimal ZAP (RFC 27) handler: accepts PLAIN user "user" with
    password "pass", refuses everyone else."""

    def __init__(self, ctx):
        self.sock = configure(ctx.socket(zmq.REP), timeout_ms=100)
        self.sock.bind("inproc://zeromq.zap.01")
        self.requests = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve)
        self.thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                frames = self.sock.recv_multipart()
            except zmq.Again:
                continue
            version, request_id, domain, address, identity, mechanism = frames[:6]
            credentials = frames[6:]
            self.requests.append((mechanism, credentials))
            ok = mechanism == b"PLAIN" and credentials == [b"user", b"pass"]
            self.sock.send_multipart([
                version, request_id,
                b"200" if ok else b"400",
                b"OK" if ok else b"denied",
                b"user" if ok else b"", b"",
            ])

    def stop(self):
        self._stop.set()
        self.thread.join(5)
        self.sock.close()


def _plain_pair(ctx, password):
    server = configure(ctx.socket(zmq.PULL))
    server.plain_server = 1
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = configure(ctx.socket(zmq.PUSH))
    client.plain_username = b"user"
    client.plain_password = password
    client.connect(f"tcp://127.0.0.1:{port}")
    return server, client


def test_plain_credentials_checked_by_zap(ctx):
    zap = ZapHandler(ctx)
    try:
        server, client = _plain_pair(ctx, b"pass")
        client.send(b"plain text")
        frame = server.recv(copy=False)
        assert frame.bytes == b"plain text"
        assert frame.get("User-Id") == "user"
        assert client.mechanism == zmq.PLAIN
        assert client.plain_username == b"user"
        bad_server, bad_client = _plain_pair(ctx, b"wrong")
        if bad_client.poll(1000, zmq.POLLOUT):
            bad_client.send(b"must not arrive", zmq.NOBLOCK)
        assert bad_server.poll(500) == 0
        assert (b"PLAIN", [b"user", b"wrong"]) in zap.requests
    finally:
        zap.stop()


def test_curve_keygen_cli():
    out = subprocess.run(
        [sys.executable, "-m", "zmq.curve_keygen", "--json"],
        capture_output=True, text=True, timeout=30,
    )
    assert out.returncode == 0, out.stderr
    keys = json.loads(out.stdout)
    assert zmq.curve_public(keys["secret"].encode()).decode() == keys["public"]
    # a Z85 key may start with "-" (1 in 85 do): the --secret=KEY form
    # takes it too
    dash_secret = z85.encode((63 * 85**4).to_bytes(4, "big") + bytes(range(28)))
    assert dash_secret.startswith(b"-")
    for secret in (keys["secret"], dash_secret.decode()):
        out = subprocess.run(
            [sys.executable, "-m", "zmq.curve_keygen", f"--secret={secret}"],
            capture_output=True, text=True, timeout=30,
        )
        assert out.returncode == 0, out.stderr
        assert zmq.curve_public(secret.encode()).decode() in out.stdout
        assert "== CURVE SECRET KEY ==" in out.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "zmq.curve_keygen", "--secret", "nope"],
        capture_output=True, text=True, timeout=30,
    )
    assert bad.returncode == 2
    assert "not a valid" in bad.stderr


def test_curve_public_errors_never_echo_the_key():
    public, secret = zmq.curve_keypair()
    for bad in (secret[:39], secret + b"!", secret[:39] + b"\0"):
        with pytest.raises(ValueError) as info:
            zmq.curve_public(bad)
        message = str(info.value)
        assert secret[:20].decode() not in message
        assert repr(secret[:20]) not in message
    with pytest.raises(TypeError):
        zmq.curve_public(12345)


def test_curve_public_takes_bytearray_and_memoryview():
    public, secret = zmq.curve_keypair()
    assert zmq.curve_public(bytearray(secret)) == public
    assert zmq.curve_public(memoryview(secret)) == public
    assert zmq.curve_public(secret.decode()) == public
