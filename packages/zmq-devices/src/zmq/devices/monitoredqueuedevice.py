# SPDX-License-Identifier: BSD-3-Clause
"""MonitoredQueue devices: monitored_queue() run in the foreground, a thread
or a process."""

from zmq import PUB, Socket
from zmq.devices.monitoredqueue import monitored_queue
from zmq.devices.proxydevice import ProcessProxy, Proxy, ProxyBase, ThreadProxy


class MonitoredQueueBase(ProxyBase):
    """The part the MonitoredQueue classes share (a mixin): a Proxy whose
    monitor copies carry *in_prefix* or *out_prefix* as a first frame."""

    _in_prefix = b""
    _out_prefix = b""

    def __init__(self, in_type: int, out_type: int, mon_type: int = PUB, in_prefix: bytes = b"in",
                 out_prefix: bytes = b"out") -> None:
        ProxyBase.__init__(self, in_type=in_type, out_type=out_type, mon_type=mon_type)
        if not isinstance(in_prefix, bytes) or not isinstance(out_prefix, bytes):
            raise TypeError("in_prefix and out_prefix must be bytes")
        self._in_prefix = in_prefix
        self._out_prefix = out_prefix

    def _forward(self, ins: Socket, outs: Socket, mons: Socket | None, ctrl: Socket) -> None:
        monitored_queue(ins, outs, mons, self._in_prefix, self._out_prefix, ctrl)


class MonitoredQueue(MonitoredQueueBase, Proxy):
    """monitored_queue() run in the calling thread."""


class ThreadMonitoredQueue(MonitoredQueueBase, ThreadProxy):
    """monitored_queue() in a background thread."""


class ProcessMonitoredQueue(MonitoredQueueBase, ProcessProxy):
    """monitored_queue() in a background process."""


__all__ = ["MonitoredQueue", "ThreadMonitoredQueue", "ProcessMonitoredQueue"]
