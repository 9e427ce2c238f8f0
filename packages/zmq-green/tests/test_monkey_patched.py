# SPDX-License-Identifier: BSD-3-Clause
"""Programs that call gevent.monkey.patch_all() before importing zmq: the
threads zmq-core starts for itself must stay OS threads. Large sends are
shared with libzmq rather than copied, which starts the zero-copy reaper;
as a greenlet, its wait without the GIL froze every greenlet of the
process on the first send of 64 kB or more (Locust workers hung).

Each program runs in a child, beside the test kit's ticker greenlet: if
anything blocks the hub, the ticker stops and the check (or the child's
timeout) fails."""

import pytest
from zmq_testkit import run_large_messages


@pytest.mark.timeout(90)
@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_large_messages_after_patch_all(transport):
    run_large_messages(transport, "gevent")
