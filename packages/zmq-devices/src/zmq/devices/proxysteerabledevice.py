# SPDX-License-Identifier: BSD-3-Clause
"""Steerable proxies: a fourth, control socket accepts PAUSE, RESUME,
TERMINATE and STATISTICS (libzmq's zmq_proxy_steerable)."""

from typing import Any

import zmq
from zmq.devices.basedevice import _SocketSetup
from zmq.devices.proxydevice import ProcessProxy, Proxy, ProxyBase, ThreadProxy


class ProxySteerableBase(ProxyBase):
    """The control-socket part of the ProxySteerable classes (a mixin).

    ``*_ctrl`` methods configure the control socket, of type *ctrl_type*.
    In a thread, stop() reaches that socket through an extra inproc
    endpoint, except a PAIR (which takes one peer): send b"TERMINATE" on
    your own control socket then. In a process, stop() works for all.
    """

    def __init__(self, in_type: int, out_type: int, mon_type: int = zmq.PUB,
                 ctrl_type: int | None = None) -> None:
        super().__init__(in_type=in_type, out_type=out_type, mon_type=mon_type)
        if ctrl_type is None:
            raise TypeError("ctrl_type must be specified")
        self.ctrl_type = ctrl_type
        self._control_type = ctrl_type
        self._ctrl = _SocketSetup()

    def bind_ctrl(self, addr: str) -> None:
        """Bind the control socket to *addr* when the device starts."""
        self._ctrl.binds.append(addr)

    def bind_ctrl_to_random_port(self, addr: str, *args: Any, **kwargs: Any) -> int:
        """Pick a free port on *addr* for the control socket; return it."""
        return self._bind_to_random_port(self._ctrl, addr, *args, **kwargs)

    def connect_ctrl(self, addr: str) -> None:
        """Connect the control socket to *addr* when the device starts."""
        self._ctrl.connects.append(addr)

    def setsockopt_ctrl(self, opt: int, value: Any) -> None:
        """Set a socket option of the control socket when the device starts."""
        self._ctrl.sockopts.append((opt, value))

    def _control_socket(self) -> zmq.Socket:
        # the user's control socket
        ctrls = self._socket(self.ctrl_type, self._ctrl)
        if self.ctrl_type == zmq.PAIR:
            # a PAIR takes one peer, the user's: stop() cannot join in
            self._control_endpoint = None
        else:
            # an endpoint stop() sends TERMINATE to, on the user's control socket
            assert self._control_endpoint is not None
            ctrls.bind(self._control_endpoint)
        return ctrls


class ProxySteerable(ProxySteerableBase, Proxy):
    """A steerable proxy run in the calling thread."""


class ThreadProxySteerable(ProxySteerableBase, ThreadProxy):
    """A steerable proxy in a background thread."""


class ProcessProxySteerable(ProxySteerableBase, ProcessProxy):
    """A steerable proxy in a background process."""


__all__ = ["ProxySteerable", "ThreadProxySteerable", "ProcessProxySteerable"]
