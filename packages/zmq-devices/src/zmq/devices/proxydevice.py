# SPDX-License-Identifier: BSD-3-Clause
"""Proxies: devices with a third, monitor (capture) socket that receives a
copy of every message."""

import zmq
from zmq.devices.basedevice import Device, ProcessDevice, ThreadDevice


class ProxyBase:
    """The monitor-socket half of the Proxy classes (a mixin).

    Every ``*_in``/``*_out`` configuration method has a ``*_mon`` twin for
    the monitor socket, of type *mon_type* (PUB by default).
    """

    def __init__(self, in_type, out_type, mon_type=zmq.PUB):
        Device.__init__(self, in_type=in_type, out_type=out_type)
        self.mon_type = mon_type
        self._mon_binds = []
        self._mon_connects = []
        self._mon_sockopts = []

    def bind_mon(self, addr):
        """Bind the monitor socket to *addr* when the device starts."""
        self._mon_binds.append(addr)

    def bind_mon_to_random_port(self, addr, *args, **kwargs):
        """Pick a free port on *addr* for the monitor socket; return it."""
        port = self._reserve_random_port(addr, *args, **kwargs)
        self.bind_mon(f"{addr}:{port}")
        return port

    def connect_mon(self, addr):
        """Connect the monitor socket to *addr* when the device starts."""
        self._mon_connects.append(addr)

    def setsockopt_mon(self, opt, value):
        """Set a socket option of the monitor socket when the device starts."""
        self._mon_sockopts.append((opt, value))

    def _setup_sockets(self):
        ins, outs = Device._setup_sockets(self)
        mons = self._socket(self.mon_type)
        self._configure(mons, self._mon_sockopts, self._mon_binds, self._mon_connects)
        return ins, outs, mons

    def run_device(self):
        ins, outs, mons = self._setup_sockets()
        ctrl = self._control_socket()
        self._ready.set()
        zmq.proxy_steerable(ins, outs, mons, ctrl)


class Proxy(ProxyBase, Device):
    """A proxy run in the calling thread: Device plus a monitor socket."""


class ThreadProxy(ProxyBase, ThreadDevice):
    """A Proxy in a background thread."""


class ProcessProxy(ProxyBase, ProcessDevice):
    """A Proxy in a background process."""


__all__ = ["Proxy", "ThreadProxy", "ProcessProxy"]
