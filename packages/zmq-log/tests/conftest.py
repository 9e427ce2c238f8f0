# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures for zmq-log: contexts, endpoints, and the PUB/SUB slow joiner."""

import logging
import time
import uuid

import pytest

import zmq

TIMEOUT_MS = 5000


@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


@pytest.fixture
def endpoint():
    return f"inproc://log-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def logger():
    """A fresh logger that does not propagate to the root logger."""
    log = logging.getLogger(f"test.{uuid.uuid4().hex[:8]}")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    yield log
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()


def subscriber(ctx, endpoint, topic=b""):
    sub = ctx.socket(zmq.SUB)
    sub.linger = 0
    sub.rcvtimeo = TIMEOUT_MS
    sub.subscribe(topic)
    sub.connect(endpoint)
    return sub


def until_received(sub, publish, deadline_s=TIMEOUT_MS / 1000):
    """Call publish() until the subscriber has something (the slow joiner),
    then return the first message."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        publish()
        if sub.poll(20):
            return sub.recv_multipart()
    raise AssertionError("nothing arrived")


def drain(sub, wait_ms=100):
    while sub.poll(wait_ms):
        sub.recv_multipart()
