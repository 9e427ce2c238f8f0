# SPDX-License-Identifier: BSD-3-Clause
"""zmq-stack's private test kit, shared by every distribution's tests and
never published. Fixtures (ctx, pair) come from the pytest plugin
zmq_testkit.fixtures, which each conftest.py loads; the helpers are
imported from here."""

from zmq_testkit.green_threads import run_green, run_large_messages
from zmq_testkit.processes import CHILD_TIMEOUT_S, Child, python_command, run, run_python
from zmq_testkit.readiness import (
    async_drain,
    async_until_received,
    async_wait_for,
    blocked_in_wait,
    drain,
    loop_turns,
    sync_pub_sub,
    until_received,
    wait_for,
    wait_for_event,
)
from zmq_testkit.sockets import (
    TIMEOUT_MS,
    TRANSPORTS,
    closing,
    configure,
    connected_pair,
    endpoint,
    instance_dict_made,
    make_socket,
    raw_fds,
)

__all__ = [
    "CHILD_TIMEOUT_S",
    "TIMEOUT_MS",
    "TRANSPORTS",
    "Child",
    "async_drain",
    "async_until_received",
    "async_wait_for",
    "blocked_in_wait",
    "closing",
    "configure",
    "connected_pair",
    "drain",
    "endpoint",
    "instance_dict_made",
    "loop_turns",
    "make_socket",
    "python_command",
    "raw_fds",
    "run",
    "run_green",
    "run_large_messages",
    "run_python",
    "sync_pub_sub",
    "until_received",
    "wait_for",
    "wait_for_event",
]
