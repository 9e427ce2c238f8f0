# SPDX-License-Identifier: BSD-3-Clause
"""Waiting for a signal, never for time: a condition, the slow joiner's
first message, a monitor event, a child blocked in a system call. Every wait
has a deadline and fails with AssertionError when it passes."""

import asyncio
import time

from zmq_testkit.sockets import TIMEOUT_MS


def wait_for(predicate, timeout=TIMEOUT_MS / 1000, interval=0.01):
    """Poll predicate() until it is true or the timeout passes; returns True,
    or predicate()'s value at the deadline (the caller asserts it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


async def async_wait_for(predicate, timeout=TIMEOUT_MS / 1000, interval=0.005):
    """wait_for on an event loop: the loop keeps running while it waits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(interval)
    return predicate()


async def loop_turns(turns=5):
    """Let the running loop run what is ready, `turns` times over (callbacks
    that schedule callbacks included): a future or task made before now waits
    at its first blocking point, with its reader/timer in place. No time
    passes for its own sake."""
    for _ in range(turns):
        await asyncio.sleep(0)


def until_received(receiver, send, timeout_ms=TIMEOUT_MS, poll_ms=20):
    """The slow joiner: call send() until `receiver` has a message, then
    return that first message (multipart). A SUB misses what is published
    before its subscription lands, a ROUTER drops what it cannot route yet,
    a proxy's monitor sees nothing until its SUB is connected: one message
    through shows the path is up, so later ones arrive."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        send()
        if receiver.poll(poll_ms):
            return receiver.recv_multipart()
    raise AssertionError(f"nothing reached {receiver!r} in {timeout_ms} ms")


async def async_until_received(receiver, send, timeout_ms=TIMEOUT_MS, poll_ms=20):
    """until_received for async sockets: send() returns an awaitable."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        await send()
        if await receiver.poll(poll_ms):
            return await receiver.recv_multipart()
    raise AssertionError(f"nothing reached {receiver!r} in {timeout_ms} ms")


async def async_drain(sock, wait_ms=100):
    """drain for async sockets."""
    messages = []
    while await sock.poll(wait_ms):
        messages.append(await sock.recv_multipart())
    return messages


def drain(sock, wait_ms=100):
    """Receive and return what arrives until `sock` is quiet for wait_ms
    (the extra sync messages until_received sent)."""
    messages = []
    while sock.poll(wait_ms):
        messages.append(sock.recv_multipart())
    return messages


def sync_pub_sub(pub, sub, topic=b""):
    """Publish until `sub` sees a message, then drain the extra ones: later
    messages reach it."""
    until_received(sub, lambda: pub.send(topic + b"sync"))
    drain(sub)


def wait_for_event(monitor, *events, timeout_ms=TIMEOUT_MS):
    """Read a socket monitor (get_monitor_socket()) until one of `events`
    (zmq.EVENT_*) comes; returns that event's dict, the others are skipped."""
    from zmq.utils.monitor import recv_monitor_message

    deadline = time.monotonic() + timeout_ms / 1000
    seen = []
    while True:
        remaining = int((deadline - time.monotonic()) * 1000)
        if remaining <= 0 or not monitor.poll(remaining):
            raise AssertionError(f"no event {events} within {timeout_ms} ms (saw {seen})")
        event = recv_monitor_message(monitor)
        if event["event"] in events:
            return event
        seen.append(event["event"])


def _main_thread(pid):
    """(state, wchan, voluntary context switches) of process pid's main
    thread (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        state = f.read().rsplit(")", 1)[1].split()[0]  # "pid (comm) state ..."
    with open(f"/proc/{pid}/wchan") as f:
        wchan = f.read().strip()
    with open(f"/proc/{pid}/status") as f:
        switches = next(int(line.split()[1]) for line in f
                        if line.startswith("voluntary_ctxt_switches"))
    return state, wchan, switches


def blocked_in_wait(pid, timeout=TIMEOUT_MS / 1000, quiet_s=0.1):
    """Wait until process `pid`'s main thread sleeps in the kernel in a poll,
    select or epoll wait (Linux) at every look for quiet_s: it is parked in
    its blocking call (zmq-core's main-thread waits wake every 50 ms to look
    for signals, and sleep again). A signal sent next interrupts that call."""
    waits = ("poll", "select")  # poll_schedule_timeout, do_select, ep_poll
    deadline = time.monotonic() + timeout
    parked_since = None
    last = None
    while time.monotonic() < deadline:
        try:
            last = state, wchan, _ = _main_thread(pid)
        except (FileNotFoundError, ProcessLookupError):
            raise AssertionError(f"process {pid} is gone") from None
        if state == "S" and any(w in wchan for w in waits):
            if parked_since is None:
                parked_since = time.monotonic()
            elif time.monotonic() - parked_since >= quiet_s:
                return
        else:
            parked_since = None
        time.sleep(0.005)
    raise AssertionError(f"process {pid} never stayed blocked (state, wchan, switches: {last})")
