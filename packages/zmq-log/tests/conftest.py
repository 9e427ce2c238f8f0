# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures: the test kit's (ctx, pair, ...; endpoints and the slow-joiner
sync are its too) and zmq-log's own, a private logger and a subscriber."""

import logging
import uuid

import pytest
from zmq_testkit import configure

import zmq

pytest_plugins = ["zmq_testkit.fixtures"]


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


def subscriber(ctx, url, topic=b""):
    """A SUB socket (linger 0, timeouts) subscribed to `topic` at `url`."""
    sub = configure(ctx.socket(zmq.SUB))
    sub.subscribe(topic)
    sub.connect(url)
    return sub
