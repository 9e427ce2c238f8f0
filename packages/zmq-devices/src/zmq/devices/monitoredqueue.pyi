# SPDX-License-Identifier: BSD-3-Clause
# Type information for the compiled zmq.devices.monitoredqueue module.
from zmq import Socket

def monitored_queue(
    in_socket: Socket,
    out_socket: Socket,
    mon_socket: Socket | None,
    in_prefix: bytes = b"in",
    out_prefix: bytes = b"out",
    ctrl_socket: Socket | None = None,
) -> None: ...

__all__ = ["monitored_queue"]
