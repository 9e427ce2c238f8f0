# SPDX-License-Identifier: BSD-3-Clause
"""Secrets stay secret: passwords compared in constant time, and no password
or secret key in any log record, at any level."""

import hmac

from conftest import curve_client, curve_server, delivered, tcp_client, tcp_server
from zmq_testkit import closing, make_socket

import zmq
import zmq.auth.base

PASSWORD = "correct horse battery staple"


def good_in_bad_out(server, good, bad):
    """The good client's message is delivered, the bad one's is refused;
    all three sockets are closed after."""
    with closing(good, bad, server):
        assert delivered(server, good)
        assert not delivered(server, bad, wait_ms=300)


def test_plain_passwords_are_compared_with_compare_digest(ctx, thread_auth, monkeypatch):
    calls = []
    compare_digest = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return compare_digest(a, b)

    monkeypatch.setattr(zmq.auth.base.hmac, "compare_digest", spy)
    thread_auth.configure_plain(passwords={"admin": PASSWORD})
    server, url = tcp_server(ctx, plain_server=True)
    good = tcp_client(ctx, url, plain_username=b"admin", plain_password=PASSWORD.encode())
    bad = tcp_client(ctx, url, plain_username=b"admin", plain_password=b"guess")
    good_in_bad_out(server, good, bad)
    assert (PASSWORD.encode(), PASSWORD.encode()) in calls
    assert (b"guess", PASSWORD.encode()) in calls


def test_unknown_user_is_still_compared(ctx, thread_auth, monkeypatch):
    # an unknown user costs a comparison too, so timing does not tell
    # which user names exist
    calls = []
    monkeypatch.setattr(zmq.auth.base.hmac, "compare_digest", lambda a, b: calls.append(a) or False)
    thread_auth.configure_plain(passwords={"admin": PASSWORD})
    server, url = tcp_server(ctx, plain_server=True)
    client = tcp_client(ctx, url, plain_username=b"nobody", plain_password=b"whatever")
    with closing(client, server):
        assert not delivered(server, client, wait_ms=300)
    assert calls == [b"whatever"]


def test_no_password_in_any_log_record(ctx, thread_auth, auth_log):
    thread_auth.configure_plain(passwords={"admin": PASSWORD})
    server, url = tcp_server(ctx, plain_server=True)
    good = tcp_client(ctx, url, plain_username=b"admin", plain_password=PASSWORD.encode())
    bad = tcp_client(
        ctx, url, plain_username=b"admin", plain_password=b"wrong-" + PASSWORD.encode()
    )
    good_in_bad_out(server, good, bad)
    logged = auth_log.everything()
    assert "ALLOWED (PLAIN)" in logged and "DENIED (PLAIN)" in logged
    assert "horse" not in logged


def _zap_request(ctx, frames):
    """Send a raw ZAP request to the authenticator and return its reply."""
    requester = make_socket(ctx, zmq.DEALER, connect="inproc://zeromq.zap.01")
    with closing(requester):
        requester.send_multipart([b""] + frames)
        return requester.recv_multipart()[1:]


def test_malformed_requests_do_not_log_their_credentials(ctx, thread_auth, auth_log):
    thread_auth.configure_plain(passwords={"admin": PASSWORD})
    # PLAIN with a third credential frame, then a request cut short
    reply = _zap_request(
        ctx, [b"1.0", b"7", b"", b"127.0.0.1", b"", b"PLAIN", b"admin", b"horse-1", b"horse-2"]
    )
    assert reply[:3] == [b"1.0", b"7", b"400"]
    reply = _zap_request(ctx, [b"1.0", b"8", b"horse-3"])
    assert reply[:3] == [b"1.0", b"8", b"400"]
    logged = auth_log.everything()
    assert "Invalid PLAIN credentials" in logged and "not enough frames" in logged
    assert "horse" not in logged


def test_no_secret_key_in_any_log_record(ctx, thread_auth, certs, auth_log):
    thread_auth.configure_curve(location=certs.public_dir)
    stranger_public, stranger_secret = zmq.curve_keypair()
    server, url = curve_server(ctx, certs)
    good = curve_client(ctx, url, certs)
    bad = curve_client(ctx, url, certs, public=stranger_public, secret=stranger_secret)
    good_in_bad_out(server, good, bad)
    logged = auth_log.everything()
    assert certs.client_public.decode() in logged  # public keys are fine
    for secret in (certs.client_secret, certs.server_secret, stranger_secret):
        assert secret.decode() not in logged
