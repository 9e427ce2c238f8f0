# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures for the devices' tests: sockets with timeouts, free ports."""

import os
import uuid

import pytest

import zmq

TIMEOUT_MS = 5000


def configure(sock, timeout_ms=TIMEOUT_MS):
    sock.linger = 0
    sock.rcvtimeo = timeout_ms
    sock.sndtimeo = timeout_ms
    return sock


@pytest.fixture
def ctx():
    """The instance context: thread devices share it (context_factory)."""
    context = zmq.Context.instance()
    yield context
    context.destroy(linger=0)


@pytest.fixture
def url(tmp_path):
    """url(name) -> an ipc endpoint reachable from other processes."""

    def make(name):
        return f"ipc://{tmp_path}/{name}-{uuid.uuid4().hex[:8]}"

    return make


def inproc(name):
    return f"inproc://{name}-{uuid.uuid4().hex[:8]}"


def sockets_open_in(pid):
    """Number of open fds of a process (Linux), to check cleanup."""
    return len(os.listdir(f"/proc/{pid}/fd"))
