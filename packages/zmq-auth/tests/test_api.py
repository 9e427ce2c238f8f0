# SPDX-License-Identifier: BSD-3-Clause
"""PyZMQ 27's zmq.auth names and import paths."""

import importlib
import logging
import warnings

import pytest
from zmq_testkit import closing

import zmq


@pytest.mark.parametrize(
    "module, names",
    [
        (
            "zmq.auth",
            [
                "Authenticator",
                "CURVE_ALLOW_ANY",
                "create_certificates",
                "load_certificate",
                "load_certificates",
            ],
        ),
        ("zmq.auth.base", ["Authenticator", "CURVE_ALLOW_ANY", "VERSION"]),
        ("zmq.auth.certs", ["create_certificates", "load_certificate", "load_certificates"]),
        ("zmq.auth.thread", ["ThreadAuthenticator", "AuthenticationThread"]),
        ("zmq.auth.asyncio", ["AsyncioAuthenticator"]),
        ("zmq.auth.ioloop", ["IOLoopAuthenticator"]),
    ],
)
def test_names(module, names):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        mod = importlib.import_module(module)
    for name in names:
        assert hasattr(mod, name), f"{module}.{name} is missing"
    if hasattr(mod, "__all__"):
        for name in mod.__all__:
            assert hasattr(mod, name)


def test_constants():
    import zmq.auth
    import zmq.auth.base

    assert zmq.auth.CURVE_ALLOW_ANY == "*"
    assert zmq.auth.base.VERSION == b"1.0"


def test_authenticator_policy_rules(ctx):
    from zmq.auth import Authenticator

    auth = Authenticator(ctx)
    assert auth.context is ctx
    auth.allow("127.0.0.1")
    with pytest.raises(ValueError, match="cannot be combined"):
        auth.deny("127.0.0.2")
    other = Authenticator(ctx)
    other.deny("127.0.0.1")
    with pytest.raises(ValueError, match="cannot be combined"):
        other.allow("127.0.0.2")


def test_default_context_is_the_instance():
    from zmq.auth import Authenticator

    assert Authenticator().context is zmq.Context.instance()


def test_manual_rep_authenticator_answers_requests(ctx):
    """The base class with its own REP socket, driven by hand."""
    import asyncio

    from zmq.auth import Authenticator

    auth = Authenticator(ctx)
    auth.start()
    try:
        auth.configure_plain(passwords={"u": "p"})
        requester = ctx.socket(zmq.REQ)
        requester.linger = 0
        requester.rcvtimeo = 5000
        requester.connect("inproc://zeromq.zap.01")
        requester.send_multipart([b"1.0", b"1", b"", b"127.0.0.1", b"", b"PLAIN", b"u", b"p"])
        assert auth.zap_socket.poll(5000)
        asyncio.run(auth.handle_zap_message(auth.zap_socket.recv_multipart()))
        assert requester.recv_multipart() == [b"1.0", b"1", b"200", b"OK", b"u", b""]
        requester.close()
    finally:
        auth.stop()


def test_watch_needs_a_running_authenticator():
    import threading

    from zmq.auth import Authenticator
    from zmq.auth.thread import ThreadAuthenticator

    ctx = zmq.Context()
    for auth in (Authenticator(ctx), ThreadAuthenticator(ctx)):
        server = ctx.socket(zmq.PULL)
        server.linger = 0
        with closing(server):
            with pytest.raises(RuntimeError, match="watch"):
                auth.watch(server)
    # the monitor socket watch() made was closed: the context terminates
    terminator = threading.Thread(target=ctx.term, daemon=True)
    terminator.start()
    terminator.join(10)
    assert not terminator.is_alive(), "a socket was left open"


def test_thread_authenticator_has_pyzmqs_attributes_and_pipe(ctx, auth_log):
    from zmq.auth.thread import AuthenticationThread, ThreadAuthenticator

    auth = ThreadAuthenticator(ctx, log=auth_log.logger)
    assert auth.pipe is None and auth.thread is None
    assert auth.pipe_endpoint.startswith("inproc://")
    assert auth.pipe_endpoint != ThreadAuthenticator(ctx).pipe_endpoint
    auth.start()
    try:
        thread = auth.thread
        assert isinstance(thread, AuthenticationThread)
        assert thread.authenticator is auth and thread.log is auth.log
        assert thread.started.is_set() and thread.loop is not None
        assert thread.pipe.socket_type == zmq.PAIR and auth.pipe.socket_type == zmq.PAIR
        assert {s for s, _ in thread.poller.sockets} == {thread.pipe, auth.zap_socket}
        assert auth.pipe.last_endpoint == auth.pipe_endpoint.encode()
        # PyZMQ's pipe protocol: an unknown command is answered with ERROR
        auth.pipe.rcvtimeo = 5000
        auth.pipe.send(b"HELLO")
        assert auth.pipe.recv() == b"ERROR"
        assert auth_log.contains(logging.ERROR, "Invalid auth command")
        # and TERMINATE ends the thread, which closes both ends of the pipe
        pipe = auth.pipe
        pipe.send(b"TERMINATE")
        thread.join(10)
        assert not thread.is_alive() and pipe.closed and thread.pipe is None
        assert thread.poller is None
    finally:
        auth.stop()
    assert auth.pipe is None and auth.thread is None and auth.zap_socket is None
    # and it starts again (on a new endpoint: libzmq frees an inproc name
    # only once the closed socket is reaped)
    first = auth.pipe_endpoint
    auth.start()
    assert auth.is_alive() and auth.pipe_endpoint != first
    assert auth.pipe.last_endpoint == auth.pipe_endpoint.encode()
    auth.stop()
    assert not auth.is_alive()
