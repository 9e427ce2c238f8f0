# SPDX-License-Identifier: BSD-3-Clause
"""Shared fixtures: fresh contexts, connected socket pairs, deadlines.

Every socket made here has linger 0 and 5 s send/receive timeouts, so a test
that goes wrong fails with zmq.Again instead of hanging.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import zmq

TIMEOUT_MS = 5000
TRANSPORTS = ["inproc", "ipc", "tcp"]


def configure(sock, timeout_ms=TIMEOUT_MS):
    sock.linger = 0
    sock.rcvtimeo = timeout_ms
    sock.sndtimeo = timeout_ms
    return sock


@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


@pytest.fixture
def endpoint(tmp_path, request):
    """A fresh endpoint factory: endpoint('tcp') -> 'tcp://127.0.0.1:*'."""
    counter = iter(range(1_000_000))

    def make(transport):
        n = next(counter)
        if transport == "inproc":
            return f"inproc://{request.node.name}-{n}"
        if transport == "ipc":
            return f"ipc://{tmp_path}/s{n}"
        if transport == "tcp":
            return "tcp://127.0.0.1:*"
        raise ValueError(transport)

    return make


@pytest.fixture
def pair(ctx, endpoint):
    """pair(bind_type, connect_type, transport='tcp') -> (bound, connected)."""

    def make(bind_type, connect_type, transport="tcp"):
        a = configure(ctx.socket(bind_type))
        a.bind(endpoint(transport))
        b = configure(ctx.socket(connect_type))
        b.connect(a.last_endpoint.decode())
        return a, b

    return make


def wait_for(predicate, timeout=TIMEOUT_MS / 1000, interval=0.01):
    """Poll predicate() until it is true or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def sync_pub_sub(pub, sub, topic=b""):
    """Publish until the subscriber sees a message, so later sends arrive
    (a SUB misses whatever is published before its subscription lands)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        pub.send(topic + b"sync")
        if sub.poll(20):
            while sub.poll(50):
                sub.recv()
            return
    raise AssertionError("subscription never reached the publisher")


VARIANT = os.environ.get("ZMQ_TEST_VARIANT", "")
needs_draft = pytest.mark.skipif(not zmq.DRAFT_API, reason="needs libzmq's draft API")


def active_zmq_h():
    """The zmq.h this zmq-core was built against."""
    for d in zmq.get_includes():
        path = os.path.join(d, "zmq.h")
        if os.path.exists(path):
            return path
    pytest.fail(f"no zmq.h in zmq.get_includes() = {zmq.get_includes()}")


# the monorepo's root: examples/ and ci/ are used by the cimport tests
REPO = Path(__file__).resolve().parents[3]
WHEELHOUSE = os.environ.get("ZMQ_WHEELHOUSE")


def build_against_zmq_core(project, out):
    """Build the Cython package in folder `project` the way one from an index
    is built (zmq-core as a build requirement, taken from the wheelhouse tox
    built), install it into out/site and return that folder."""
    if not WHEELHOUSE:
        pytest.skip("ZMQ_WHEELHOUSE (set by tox) names the zmq-core wheel to build against")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "--find-links", WHEELHOUSE, "-w", str(out / "wheels"), str(project)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    wheels = list((out / "wheels").glob("*.whl"))
    assert len(wheels) == 1, wheels
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps",
         "--target", str(out / "site"), str(wheels[0])],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr
    return out / "site"


def run_with(site, code, timeout=60):
    """Run `code` in a fresh interpreter that also sees the packages in `site`."""
    path = [str(site)] + [p for p in [os.environ.get("PYTHONPATH")] if p]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env
    )
