# SPDX-License-Identifier: BSD-3-Clause
"""Test sockets that cannot hang a test: linger 0 and send/receive timeouts,
fresh endpoints on every transport, connected pairs."""

import atexit
import contextlib
import gc
import itertools
import os
import shutil
import socket
import tempfile

# how long any single send or receive in a test may block
TIMEOUT_MS = 5000
TRANSPORTS = ["inproc", "ipc", "tcp"]

_numbers = itertools.count()
_ipc_dir = None


def configure(sock, timeout_ms=TIMEOUT_MS):
    """linger 0 and timeouts on `sock`; returns it. A test that goes wrong
    fails with zmq.Again instead of hanging, and closes at once.
    timeout_ms=None: linger only, for tests that bound every wait another
    way (gevent.Timeout, an event loop's wait_for)."""
    sock.linger = 0
    if timeout_ms is not None:
        sock.rcvtimeo = timeout_ms
        sock.sndtimeo = timeout_ms
    return sock


def make_socket(ctx, kind, *, bind=None, connect=None, timeout_ms=TIMEOUT_MS, **options):
    """A configured socket of ctx with `options` set (as attributes:
    subscribe=b"", curve_server=True...), then bound to `bind` and/or
    connected to `connect`."""
    sock = configure(ctx.socket(kind), timeout_ms)
    for name, value in options.items():
        setattr(sock, name, value)
    if bind is not None:
        sock.bind(bind)
    if connect is not None:
        sock.connect(connect)
    return sock


def _ipc_folder():
    # one private folder per test process, removed at exit: ipc paths stay
    # short (a socket path has ~100 bytes) and never collide
    global _ipc_dir
    if _ipc_dir is None:
        _ipc_dir = tempfile.mkdtemp(prefix="zmqt-")
        atexit.register(shutil.rmtree, _ipc_dir, True)
    return _ipc_dir


def endpoint(transport="inproc", name="t"):
    """A fresh endpoint to bind: endpoint('ipc', 'front') is a new ipc path
    other processes can reach; endpoint('tcp') is 'tcp://127.0.0.1:*' (read
    the port back from last_endpoint)."""
    n = next(_numbers)
    if transport == "inproc":
        return f"inproc://{name}-{n}"
    if transport == "ipc":
        return f"ipc://{_ipc_folder()}/{name}-{n}"
    if transport == "tcp":
        return "tcp://127.0.0.1:*"
    raise ValueError(f"transport must be one of {TRANSPORTS}, not {transport!r}")


def connected_pair(ctx, bind_type, connect_type, transport="tcp", timeout_ms=TIMEOUT_MS):
    """(bound, connected) sockets of ctx, configured; `transport` is a
    transport name or a full endpoint to bind."""
    url = endpoint(transport) if transport in TRANSPORTS else transport
    bound = make_socket(ctx, bind_type, bind=url, timeout_ms=timeout_ms)
    # last_endpoint: the real port of tcp://...:*
    connected = make_socket(ctx, connect_type, connect=bound.last_endpoint.decode(),
                            timeout_ms=timeout_ms)
    return bound, connected


@contextlib.contextmanager
def closing(*sockets):
    """Close every socket given (linger 0) when the block ends, however it
    ends: a test closes what it opens."""
    try:
        yield sockets
    finally:
        for sock in sockets:
            sock.close(linger=0)


@contextlib.contextmanager
def raw_fds():
    """For polling tests, what a poller takes besides zmq sockets: an
    os.pipe() (r, w: raw FDs) and a socket.socketpair() (left, right:
    objects with fileno()), all closed on the way out."""
    r, w = os.pipe()
    left, right = socket.socketpair()
    try:
        yield r, w, left, right
    finally:
        os.close(r)
        os.close(w)
        left.close()
        right.close()


def instance_dict_made(sock):
    """Whether the socket's __dict__ exists, read without making it (as
    sock.__dict__ would): CPython 3.12+ reads a zmq socket's methods
    through its cache only while it does not."""
    return any(isinstance(r, dict) for r in gc.get_referents(sock))
