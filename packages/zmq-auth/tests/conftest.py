# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures: the test kit's (ctx, pair, ...) and zmq-auth's own: CURVE
certificates, authenticators, a log capture, and servers/clients over tcp on
127.0.0.1."""

import logging
import os
import threading

import pytest
from zmq_testkit import make_socket, wait_for_event

import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator

pytest_plugins = ["zmq_testkit.fixtures"]

# how long a refused client gets to prove it was refused
REFUSAL_WAIT_MS = 2000


def pytest_report_header():
    variant = os.environ.get("ZMQ_TEST_VARIANT")
    return f"libzmq {zmq.zmq_version()}, curve={zmq.has('curve')}, variant={variant}"


@pytest.fixture(scope="session", autouse=True)
def _needs_curve():
    # both libzmq builds of this project have libsodium: a build without
    # CURVE is a provisioning error, not something to skip over
    assert zmq.has("curve"), "this libzmq has no CURVE support"


class LogCapture(logging.Handler):
    """Every record, at every level, as (record, formatted message)."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []
        self.records_lock = threading.Lock()

    def emit(self, record):
        with self.records_lock:
            self.records.append((record, record.getMessage()))

    def text(self):
        with self.records_lock:
            return "\n".join(message for _, message in self.records)

    def everything(self):
        """Messages plus the repr of every argument: what any formatter or
        handler could ever print."""
        with self.records_lock:
            return "\n".join(f"{m} {record.args!r} {record.msg!r}" for record, m in self.records)

    def contains(self, level, fragment):
        with self.records_lock:
            return any(r.levelno >= level and fragment in m for r, m in self.records)


@pytest.fixture
def auth_log():
    log = logging.getLogger(f"zmq.auth.test.{os.urandom(4).hex()}")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    capture = LogCapture()
    log.addHandler(capture)
    capture.logger = log
    yield capture
    log.removeHandler(capture)


@pytest.fixture
def thread_auth(ctx, auth_log):
    auth = ThreadAuthenticator(ctx, log=auth_log.logger)
    auth.start()
    yield auth
    auth.stop()


@pytest.fixture
def certs(tmp_path):
    """Server and client certificates: public ones in public/, secret ones
    in secret/; returns a namespace of folders and keys."""
    public_dir, secret_dir = tmp_path / "public", tmp_path / "secret"
    for name in ("server", "client"):
        public_file, secret_file = zmq.auth.create_certificates(secret_dir, name)
        public_dir.mkdir(exist_ok=True)
        os.replace(public_file, public_dir / os.path.basename(public_file))
    server_public, server_secret = zmq.auth.load_certificate(secret_dir / "server.key_secret")
    client_public, client_secret = zmq.auth.load_certificate(secret_dir / "client.key_secret")

    class Certs:
        pass

    c = Certs()
    c.public_dir, c.secret_dir = str(public_dir), str(secret_dir)
    c.server_public, c.server_secret = server_public, server_secret
    c.client_public, c.client_secret = client_public, client_secret
    return c


def tcp_server(ctx, kind=zmq.PULL, **options):
    """A socket bound to a random tcp port on 127.0.0.1; returns (socket, url)."""
    sock = make_socket(ctx, kind, **options)
    port = sock.bind_to_random_port("tcp://127.0.0.1")
    return sock, f"tcp://127.0.0.1:{port}"


def tcp_client(ctx, url, kind=zmq.PUSH, **options):
    return make_socket(ctx, kind, connect=url, **options)


def curve_server(ctx, certs, **options):
    return tcp_server(
        ctx,
        curve_server=True,
        curve_secretkey=certs.server_secret,
        curve_publickey=certs.server_public,
        **options,
    )


def curve_client(ctx, url, certs, public=None, secret=None, server_key=None):
    return tcp_client(
        ctx,
        url,
        curve_publickey=public or certs.client_public,
        curve_secretkey=secret or certs.client_secret,
        curve_serverkey=server_key or certs.server_public,
    )


def delivered(server, client, wait_ms=REFUSAL_WAIT_MS, payload=b"hello"):
    """Does a message sent by client (PUSH) reach server (PULL) within wait_ms?
    PUSH queues until a connection is up, so a refused client's message just
    never arrives; once libzmq has dropped the refused connection, PUSH has
    nowhere to queue it (Again)."""
    try:
        client.send(payload, zmq.NOBLOCK)
    except zmq.Again:
        return False
    if not server.poll(wait_ms):
        return False
    assert server.recv() == payload
    return True


# the monitor events that end a handshake, one way or the other
HANDSHAKE_OUTCOMES = (
    zmq.EVENT_HANDSHAKE_SUCCEEDED,
    zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL,
    zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL,
    zmq.EVENT_HANDSHAKE_FAILED_AUTH,
)


def handshake_outcome(monitor, wait_ms=REFUSAL_WAIT_MS):
    """The first handshake outcome (a zmq.EVENT_HANDSHAKE_*) on a socket
    monitor, within wait_ms."""
    return wait_for_event(monitor, *HANDSHAKE_OUTCOMES, timeout_ms=wait_ms)["event"]
