# SPDX-License-Identifier: BSD-3-Clause
"""jupyter_client starts an ipykernel kernel on this stack, over tcp and ipc,
with its blocking client (zmq sockets) and its async one (zmq.asyncio): the
kernel runs ``1+1`` and answers 2, then shuts down when asked."""

import asyncio
import sys

import pytest
from jupyter_client.manager import AsyncKernelManager, KernelManager

TIMEOUT = 30


def execute(client, code):
    """Run ``code`` in the kernel; return its reply and the IOPub messages
    it published while doing so."""
    published = []
    reply = client.execute_interactive(
        code, timeout=TIMEOUT, output_hook=published.append, allow_stdin=False
    )
    return reply, published


@pytest.fixture(params=["tcp", "ipc"])
def kernel(request, tmp_path):
    """A started kernel and a client with its channels running; both are
    shut down, the kernel killed if it does not stop, whatever happens."""
    manager = KernelManager(
        kernel_name="python3",
        transport=request.param,
        connection_file=str(tmp_path / "kernel.json"),
    )
    if request.param == "ipc":
        # ipc endpoints are files named after this path: <path>-<port>
        manager.ip = str(tmp_path / "kernel")
    manager.start_kernel()
    client = manager.client()
    try:
        client.start_channels()
        client.wait_for_ready(timeout=TIMEOUT)
        yield manager, client
    finally:
        client.stop_channels()
        if manager.has_kernel and manager.is_alive():
            try:
                manager.shutdown_kernel(now=False)
            finally:
                if manager.is_alive():
                    manager.shutdown_kernel(now=True)
        manager.cleanup_resources()


@pytest.mark.timeout(90)
def test_kernel_round_trip(kernel):
    manager, client = kernel
    info = manager.get_connection_info()
    assert info["transport"] == manager.transport

    reply, published = execute(client, "1+1")
    assert reply["content"]["status"] == "ok"
    results = [m["content"]["data"] for m in published if m["msg_type"] == "execute_result"]
    assert results == [{"text/plain": "2"}]

    # the kernel runs this environment's Python and zmq-core's classes
    reply, published = execute(client, "import sys, zmq; print(sys.prefix, zmq.Context.__module__)")
    assert reply["content"]["status"] == "ok"
    text = "".join(m["content"]["text"] for m in published if m["msg_type"] == "stream")
    assert text.split() == [sys.prefix, "zmq.core.context"]

    # a clean shutdown: the kernel process exits by itself (status 0) on the
    # shutdown request, before jupyter_client would have to kill it
    process = manager.provisioner.process
    manager.shutdown_kernel(now=False)
    assert not manager.is_alive()
    assert process.wait(timeout=TIMEOUT) == 0


async def async_round_trip(transport, tmp_path):
    manager = AsyncKernelManager(
        kernel_name="python3",
        transport=transport,
        connection_file=str(tmp_path / "kernel.json"),
    )
    if transport == "ipc":
        manager.ip = str(tmp_path / "kernel")
    await manager.start_kernel()
    client = manager.client()
    try:
        client.start_channels()
        await client.wait_for_ready(timeout=TIMEOUT)
        published = []
        reply = await client.execute_interactive(
            "1+1", timeout=TIMEOUT, output_hook=published.append, allow_stdin=False
        )
        assert reply["content"]["status"] == "ok"
        results = [m["content"]["data"] for m in published if m["msg_type"] == "execute_result"]
        assert results == [{"text/plain": "2"}]
        process = manager.provisioner.process
        await manager.shutdown_kernel(now=False)
        assert not await manager.is_alive()
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        client.stop_channels()
        if manager.has_kernel and await manager.is_alive():
            await manager.shutdown_kernel(now=True)
        await manager.cleanup_resources()


@pytest.mark.timeout(90)
@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_async_client_round_trip(transport, tmp_path):
    # AsyncKernelClient's channels are zmq.asyncio sockets (zmq-eventloop)
    asyncio.run(asyncio.wait_for(async_round_trip(transport, tmp_path), 3 * TIMEOUT - 10))
