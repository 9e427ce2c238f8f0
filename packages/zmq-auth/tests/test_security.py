# SPDX-License-Identifier: BSD-3-Clause
"""Who gets through, over tcp on 127.0.0.1: CURVE, PLAIN and address
policies, answered by a ThreadAuthenticator."""

import logging
import os
import threading

import pytest
from conftest import (
    curve_client,
    curve_server,
    delivered,
    handshake_outcome,
    tcp_client,
    tcp_server,
)
from zmq_testkit import closing, wait_for

import zmq
import zmq.auth


def test_curve_known_client_gets_through(ctx, thread_auth, certs):
    thread_auth.configure_curve(location=certs.public_dir)
    server, url = curve_server(ctx, certs)
    client = curve_client(ctx, url, certs)
    with closing(client, server):
        assert delivered(server, client)


def test_curve_refuses_unknown_client_key(ctx, thread_auth, certs, auth_log):
    thread_auth.configure_curve(location=certs.public_dir)
    stranger_public, stranger_secret = zmq.curve_keypair()
    server, url = curve_server(ctx, certs)
    monitor = server.get_monitor_socket()
    client = curve_client(ctx, url, certs, public=stranger_public, secret=stranger_secret)
    try:
        assert not delivered(server, client)
        assert auth_log.contains(
            logging.INFO, f"DENIED (CURVE) domain=* client_key={stranger_public.decode()}"
        )
        assert handshake_outcome(monitor) == zmq.EVENT_HANDSHAKE_FAILED_AUTH
    finally:
        client.close()
        server.disable_monitor()
        monitor.close()
        server.close()


def _until_logged(auth_log, fragment):
    # the monitor event reaches the authenticator's thread a little after
    # the client sees the refusal
    return wait_for(lambda: auth_log.contains(logging.INFO, fragment))


def test_curve_refuses_wrong_server_key(ctx, thread_auth, certs, auth_log):
    # the client encrypts its hello for another server: the server cannot
    # read it, so libzmq refuses the handshake before any ZAP request;
    # watch() has the authenticator log it all the same
    thread_auth.configure_curve(location=certs.public_dir)
    _, other_server_key = zmq.curve_keypair()
    server, url = curve_server(ctx, certs)
    thread_auth.watch(server)
    client = curve_client(ctx, url, certs, server_key=other_server_key)
    with closing(client, server):
        assert not delivered(server, client)
        assert _until_logged(auth_log, "PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC")
        assert _until_logged(auth_log, f"endpoint={url}")


def test_curve_refuses_client_without_key(ctx, thread_auth, certs, auth_log):
    thread_auth.configure_curve(location=certs.public_dir)
    server, url = curve_server(ctx, certs)
    thread_auth.watch(server)
    client = tcp_client(ctx, url)  # NULL mechanism against a CURVE server
    with closing(client, server):
        assert not delivered(server, client)
        assert _until_logged(auth_log, "PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH")


def test_curve_without_any_policy_refuses(ctx, thread_auth, certs, auth_log):
    server, url = curve_server(ctx, certs)
    client = curve_client(ctx, url, certs)
    with closing(client, server):
        assert not delivered(server, client)
        assert auth_log.contains(logging.INFO, "DENIED (CURVE) unknown domain=*")


@pytest.mark.parametrize(
    "username, password, refusal",
    [
        (b"admin", b"s3cret", None),
        (b"admin", b"s3cret-not", "DENIED (PLAIN) domain=* username=admin"),
        (b"mallory", b"s3cret", "username=mallory"),
    ],
    ids=["right-password", "wrong-password", "unknown-user"],
)
def test_plain_passwords(ctx, thread_auth, auth_log, username, password, refusal):
    thread_auth.configure_plain(passwords={"admin": "s3cret"})
    server, url = tcp_server(ctx, plain_server=True)
    client = tcp_client(ctx, url, plain_username=username, plain_password=password)
    with closing(client, server):
        assert delivered(server, client) is (refusal is None)
        if refusal is not None:
            assert auth_log.contains(logging.INFO, refusal)


@pytest.mark.parametrize(
    "policy, address, refusal",
    [
        ("deny", "127.0.0.1", "DENIED (denied) address=127.0.0.1"),
        ("deny", "192.0.2.1", None),
        ("allow", "127.0.0.1", None),
        ("allow", "192.0.2.1", "DENIED (not allowed) address=127.0.0.1"),
    ],
    ids=["denied", "not-denied", "allowed", "not-allowed"],
)
def test_address_policies(ctx, thread_auth, auth_log, policy, address, refusal):
    getattr(thread_auth, policy)(address)
    server, url = tcp_server(ctx, zap_domain=b"global")
    client = tcp_client(ctx, url)
    with closing(client, server):
        assert delivered(server, client) is (refusal is None)
        if refusal is not None:
            assert auth_log.contains(logging.INFO, refusal)


def test_allowed_address_still_needs_its_curve_key(ctx, thread_auth, certs):
    thread_auth.allow("127.0.0.1")
    thread_auth.configure_curve(location=certs.public_dir)
    stranger_public, stranger_secret = zmq.curve_keypair()
    server, url = curve_server(ctx, certs)
    client = curve_client(ctx, url, certs, public=stranger_public, secret=stranger_secret)
    with closing(client, server):
        assert not delivered(server, client)


def _open_fds():
    return len(os.listdir("/proc/self/fd"))


def test_a_thousand_handshakes_leak_nothing(ctx, thread_auth, certs):
    thread_auth.configure_curve(location=certs.public_dir)
    server, url = curve_server(ctx, certs)
    # warm up: the first connection creates libzmq's I/O thread state
    client = curve_client(ctx, url, certs)
    assert delivered(server, client, wait_ms=5000)
    client.close()
    threads, fds = threading.active_count(), _open_fds()
    with closing(server):
        for i in range(1000):
            client = curve_client(ctx, url, certs)
            try:
                payload = b"%d" % i
                client.send(payload)
                assert server.poll(5000), f"handshake {i} did not complete"
                assert server.recv() == payload
            finally:
                client.close()
        # closed sockets are reaped by libzmq's I/O thread asynchronously:
        # wait for the descriptors to come back rather than for a time
        client = curve_client(ctx, url, certs)
        assert delivered(server, client, wait_ms=5000)
        client.close()
        for _ in range(200):
            if _open_fds() <= fds:
                break
            server.poll(10)
        assert _open_fds() <= fds, "file descriptors leaked"
        assert threading.active_count() == threads, "threads leaked"
