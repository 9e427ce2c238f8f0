# SPDX-License-Identifier: BSD-3-Clause
"""Green devices: ``device`` and ``proxy`` forward whole messages between two
sockets in the calling greenlet, so the rest of the program runs meanwhile
(zmq-core's versions hold the thread in libzmq)."""

from __future__ import annotations

from typing import Any

import zmq
from zmq.core.int_constants import NOBLOCK as _NOBLOCK
from zmq.core.int_constants import POLLIN as _POLLIN
from zmq.green.poll import Poller

# messages moved one way before the other way gets a turn
_BATCH = 64


def _pass_on(source: Any, dest: Any, capture: Any) -> None:
    for _ in range(_BATCH):
        try:
            msg = source.recv_multipart(_NOBLOCK, copy=False)
        except zmq.Again:
            return
        if capture is not None:
            capture.send_multipart(msg, copy=False)
        dest.send_multipart(msg, copy=False)


def proxy(frontend: Any, backend: Any, capture: Any = None) -> None:
    """Forward messages between *frontend* and *backend* until the greenlet
    is killed or a socket fails (its context terminated, say); with
    *capture*, each message is also sent there first."""
    poller = Poller()
    poller.register(frontend, _POLLIN)
    if backend is not frontend:
        poller.register(backend, _POLLIN)
    while True:
        ready = dict(poller.poll())
        if frontend in ready:
            _pass_on(frontend, backend, capture)
        if backend is not frontend and backend in ready:
            _pass_on(backend, frontend, capture)


def device(device_type: int, frontend: Any, backend: Any) -> None:
    """PyZMQ's ``zmq.green.device``: :func:`proxy` without capture;
    *device_type* (QUEUE, FORWARDER, STREAMER) does not change what it does.
    A *backend* of -1 means *frontend* (an echo over one socket)."""
    if isinstance(backend, int) and backend == -1:
        backend = frontend
    proxy(frontend, backend)


__all__ = ["device", "proxy"]
