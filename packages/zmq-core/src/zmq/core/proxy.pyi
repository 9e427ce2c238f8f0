# SPDX-License-Identifier: BSD-3-Clause
# Type information for the compiled zmq.core.proxy module.
from zmq.core.socket import Socket

def proxy(frontend: Socket, backend: Socket, capture: Socket | None = None) -> None: ...
def proxy_steerable(
    frontend: Socket,
    backend: Socket,
    capture: Socket | None = None,
    control: Socket | None = None,
) -> None: ...
def device(device_type: int, frontend: Socket, backend: Socket) -> None: ...
