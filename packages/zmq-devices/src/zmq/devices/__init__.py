# SPDX-License-Identifier: BSD-3-Clause
"""Devices run in the background (the zmq-devices distribution): proxies,
queues, forwarders, streamers and monitored queues, with PyZMQ 27's classes
and import paths, and the ``zmq-broker`` command (``python -m zmq.devices``).
"""

from zmq import DeviceType, proxy
from zmq.devices import (
    basedevice,
    monitoredqueue,
    monitoredqueuedevice,
    proxydevice,
    proxysteerabledevice,
)
from zmq.devices._version import __version__
from zmq.devices.basedevice import BackgroundDevice, Device, ProcessDevice, ThreadDevice
from zmq.devices.monitoredqueue import monitored_queue
from zmq.devices.monitoredqueuedevice import (
    MonitoredQueue,
    ProcessMonitoredQueue,
    ThreadMonitoredQueue,
)
from zmq.devices.proxydevice import ProcessProxy, Proxy, ThreadProxy
from zmq.devices.proxysteerabledevice import (
    ProcessProxySteerable,
    ProxySteerable,
    ThreadProxySteerable,
)

__all__ = [
    "__version__",
    "DeviceType",
    "proxy",
    "basedevice",
    "monitoredqueue",
    "monitoredqueuedevice",
    "proxydevice",
    "proxysteerabledevice",
    "BackgroundDevice",
    "Device",
    "ThreadDevice",
    "ProcessDevice",
    "Proxy",
    "ThreadProxy",
    "ProcessProxy",
    "ProxySteerable",
    "ThreadProxySteerable",
    "ProcessProxySteerable",
    "MonitoredQueue",
    "ThreadMonitoredQueue",
    "ProcessMonitoredQueue",
    "monitored_queue",
]
