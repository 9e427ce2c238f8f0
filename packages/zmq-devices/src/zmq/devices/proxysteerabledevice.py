# SPDX-License-Identifier: BSD-3-Clause
"""Steerable proxies: a fourth, control socket accepts PAUSE, RESUME,
TERMINATE and STATISTICS (libzmq's zmq_proxy_steerable)."""

import zmq
from zmq.devices.proxydevice import ProcessProxy, Proxy, ThreadProxy


class ProxySteerableBase:
    """The control-socket part of the ProxySteerable classes (a mixin).

    ``*_ctrl`` methods configure the control socket, of type *ctrl_type*.
    In a thread, stop() reaches that socket through an extra inproc
    endpoint, except a PAIR (which takes one peer): send b"TERMINATE" on
    your own control socket then. In a process, stop() works for all.
    """

    def __init__(self, in_type, out_type, mon_type=zmq.PUB, ctrl_type=None):
        super().__init__(in_type=in_type, out_type=out_type, mon_type=mon_type)
        if ctrl_type is None:
            raise TypeError("ctrl_type must be specified")
        self.ctrl_type = ctrl_type
        self._control_type = ctrl_type
        self._ctrl_binds = []
        self._ctrl_connects = []
        self._ctrl_sockopts = []

    def bind_ctrl(self, addr):
        """Bind the control socket to *addr* when the device starts."""
        self._ctrl_binds.append(addr)

    def bind_ctrl_to_random_port(self, addr, *args, **kwargs):
        """Pick a free port on *addr* for the control socket; return it."""
        port = self._reserve_random_port(addr, *args, **kwargs)
        self.bind_ctrl(f"{addr}:{port}")
        return port

    def connect_ctrl(self, addr):
        """Connect the control socket to *addr* when the device starts."""
        self._ctrl_connects.append(addr)

    def setsockopt_ctrl(self, opt, value):
        """Set a socket option of the control socket when the device starts."""
        self._ctrl_sockopts.append((opt, value))

    def _setup_sockets(self):
        ins, outs, mons = super()._setup_sockets()
        ctrls = self._socket(self.ctrl_type)
        self._configure(ctrls, self._ctrl_sockopts, self._ctrl_binds, self._ctrl_connects)
        if self.ctrl_type == zmq.PAIR:
            # a PAIR takes one peer, the user's: stop() cannot join in
            self._control_endpoint = None
        else:
            # an endpoint stop() sends TERMINATE to, on the user's control socket
            ctrls.bind(self._control_endpoint)
        return ins, outs, mons, ctrls

    def run_device(self):
        ins, outs, mons, ctrls = self._setup_sockets()
        self._ready.set()
        zmq.proxy_steerable(ins, outs, mons, ctrls)


class ProxySteerable(ProxySteerableBase, Proxy):
    """A steerable proxy run in the calling thread."""


class ThreadProxySteerable(ProxySteerableBase, ThreadProxy):
    """A steerable proxy in a background thread."""


class ProcessProxySteerable(ProxySteerableBase, ProcessProxy):
    """A steerable proxy in a background process."""


__all__ = ["ProxySteerable", "ThreadProxySteerable", "ProcessProxySteerable"]
