# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures: the test kit's (ctx, pair, ...) and the devices' own, the
instance context that thread devices share."""

import pytest

import zmq

pytest_plugins = ["zmq_testkit.fixtures"]


@pytest.fixture
def instance_ctx():
    """zmq.Context.instance(): thread devices make their sockets in it
    (their context_factory), so inproc endpoints reach them from the test."""
    context = zmq.Context.instance()
    yield context
    context.destroy(linger=0)
