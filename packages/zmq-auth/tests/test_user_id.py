# SPDX-License-Identifier: BSD-3-Clause
"""The name and metadata the authenticator chose reach the application, on
every message of the connection: frame.get("User-Id"), frame.get(name)."""

from conftest import curve_client, curve_server, tcp_client, tcp_server
from zmq_testkit import TIMEOUT_MS, closing

import zmq


def _first_frame(server, client):
    client.send(b"hello")
    assert server.poll(TIMEOUT_MS)
    return server.recv(copy=False)


def test_curve_user_id_defaults_to_the_z85_public_key(ctx, thread_auth, certs):
    thread_auth.configure_curve(location=certs.public_dir)
    server, url = curve_server(ctx, certs)
    client = curve_client(ctx, url, certs)
    with closing(client, server):
        assert _first_frame(server, client).get("User-Id") == certs.client_public.decode()


def test_curve_user_id_override(ctx, thread_auth, certs):
    names = {certs.client_public: "client-one"}
    thread_auth.configure_curve(location=certs.public_dir)
    thread_auth.curve_user_id = lambda key: names[zmq.utils.z85.encode(key)]
    server, url = curve_server(ctx, certs)
    client = curve_client(ctx, url, certs)
    with closing(client, server):
        assert _first_frame(server, client).get("User-Id") == "client-one"


def test_plain_user_id_is_the_user_name(ctx, thread_auth):
    thread_auth.configure_plain(passwords={"admin": "pw"})
    server, url = tcp_server(ctx, plain_server=True)
    client = tcp_client(ctx, url, plain_username=b"admin", plain_password=b"pw")
    with closing(client, server):
        assert _first_frame(server, client).get("User-Id") == "admin"


def test_zap_metadata_reaches_every_message(ctx, thread_auth, certs):
    seen = []

    def metadata(user_id, mechanism, domain, address):
        seen.append((user_id, mechanism, domain, address))
        return {"X-Role": "admin", "X-Tenant": b"blue"}

    thread_auth.configure_curve(location=certs.public_dir)
    thread_auth.zap_metadata = metadata
    server, url = curve_server(ctx, certs, zap_domain=b"shop")
    thread_auth.configure_curve(domain="shop", location=certs.public_dir)
    client = curve_client(ctx, url, certs)
    with closing(client, server):
        for _ in range(2):
            frame = _first_frame(server, client)
            assert frame.get("X-Role") == "admin"
            assert frame.get("X-Tenant") == "blue"
            assert frame.get("User-Id") == certs.client_public.decode()
    assert seen == [(certs.client_public.decode(), "CURVE", "shop", "127.0.0.1")]


def test_refused_connection_gets_no_metadata_call(ctx, thread_auth):
    called = []
    thread_auth.configure_plain(passwords={"admin": "pw"})
    thread_auth.zap_metadata = lambda *args: called.append(args) or {"X-A": "b"}
    server, url = tcp_server(ctx, plain_server=True)
    client = tcp_client(ctx, url, plain_username=b"admin", plain_password=b"nope")
    with closing(client, server):
        client.send(b"x", zmq.NOBLOCK)
        assert not server.poll(300)
    assert called == []
