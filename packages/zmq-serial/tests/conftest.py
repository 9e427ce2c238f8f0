# SPDX-License-Identifier: BSD-3-Clause
"""Fixtures: the test kit's (ctx, pair, ...) and zmq-serial's own, a PAIR
pair over each transport for every codec test."""

import pytest

import zmq

pytest_plugins = ["zmq_testkit.fixtures"]


@pytest.fixture(params=["inproc", "tcp"])
def pair_sockets(pair, request):
    """(receiver, sender): PAIR sockets connected over inproc and over tcp."""
    return pair(zmq.PAIR, zmq.PAIR, request.param)
