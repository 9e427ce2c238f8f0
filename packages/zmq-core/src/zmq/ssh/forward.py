# SPDX-License-Identifier: BSD-3-Clause
"""Local port forwarding over a paramiko transport (``ssh -L`` in Python),
used by ``zmq.ssh.tunnel.paramiko_tunnel``."""

import select
import socketserver
from typing import Any


class ForwardServer(socketserver.ThreadingTCPServer):
    """Accepts local connections, one thread each."""

    daemon_threads = True
    allow_reuse_address = True


class Handler(socketserver.BaseRequestHandler):
    """Copies bytes between one local connection and an SSH channel to
    (chain_host, chain_port) as seen from the SSH server."""

    chain_host = "127.0.0.1"
    chain_port = 0
    ssh_transport: Any = None  # a paramiko.Transport, set by forward_tunnel

    def handle(self) -> None:
        peer = self.request.getpeername()
        try:
            channel = self.ssh_transport.open_channel(
                "direct-tcpip", (self.chain_host, self.chain_port), peer
            )
        except Exception as e:
            print(f"forwarding to {self.chain_host}:{self.chain_port} refused: {e!r}")
            return
        if channel is None:
            print(f"the SSH server refused to forward to {self.chain_host}:{self.chain_port}")
            return
        try:
            while True:
                readable, _, _ = select.select([self.request, channel], [], [])
                if self.request in readable:
                    data = self.request.recv(65536)
                    if not data:
                        break
                    channel.sendall(data)
                if channel in readable:
                    data = channel.recv(65536)
                    if not data:
                        break
                    self.request.sendall(data)
        finally:
            channel.close()
            self.request.close()


def forward_tunnel(local_port: int, remote_host: str, remote_port: int,
                   transport: Any) -> None:
    """Serve 127.0.0.1:*local_port* forever, forwarding every connection to
    remote_host:remote_port through the paramiko *transport*."""

    class TunnelHandler(Handler):
        chain_host = remote_host
        chain_port = remote_port
        ssh_transport = transport

    ForwardServer(("127.0.0.1", local_port), TunnelHandler).serve_forever()


__all__ = ["forward_tunnel", "ForwardServer", "Handler"]
