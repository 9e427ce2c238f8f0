# SPDX-License-Identifier: BSD-3-Clause
"""Proxies: devices with a third, monitor (capture) socket that receives a
copy of every message."""

from typing import Any

import zmq
from zmq.devices.basedevice import Device, ProcessDevice, ThreadDevice, _SocketSetup


class ProxyBase(Device):
    """The monitor-socket half of the Proxy classes (a mixin).

    Every ``*_in``/``*_out`` configuration method has a ``*_mon`` twin for
    the monitor socket, of type *mon_type* (PUB by default).
    """

    def __init__(self, in_type: int, out_type: int, mon_type: int = zmq.PUB) -> None:
        Device.__init__(self, in_type=in_type, out_type=out_type)
        self.mon_type = mon_type
        self._mon = _SocketSetup()

    def bind_mon(self, addr: str) -> None:
        """Bind the monitor socket to *addr* when the device starts."""
        self._mon.binds.append(addr)

    def bind_mon_to_random_port(self, addr: str, *args: Any, **kwargs: Any) -> int:
        """Pick a free port on *addr* for the monitor socket; return it."""
        return self._bind_to_random_port(self._mon, addr, *args, **kwargs)

    def connect_mon(self, addr: str) -> None:
        """Connect the monitor socket to *addr* when the device starts."""
        self._mon.connects.append(addr)

    def setsockopt_mon(self, opt: int, value: Any) -> None:
        """Set a socket option of the monitor socket when the device starts."""
        self._mon.sockopts.append((opt, value))

    def _monitor_socket(self) -> zmq.Socket:
        return self._socket(self.mon_type, self._mon)


class Proxy(ProxyBase, Device):
    """A proxy run in the calling thread: Device plus a monitor socket."""


class ThreadProxy(ProxyBase, ThreadDevice):
    """A Proxy in a background thread."""


class ProcessProxy(ProxyBase, ProcessDevice):
    """A Proxy in a background process."""


__all__ = ["Proxy", "ThreadProxy", "ProcessProxy"]
