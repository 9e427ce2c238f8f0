# SPDX-License-Identifier: BSD-3-Clause
"""``zmq.ssh``: reach a zmq endpoint through an SSH tunnel.

    from zmq import ssh
    ssh.tunnel_connection(sock, "tcp://10.0.0.5:5555", "user@gateway")

connects *sock* to a local port forwarded by ``ssh -L`` to the endpoint as
seen from the SSH server. The OpenSSH client is used by default (pexpect,
if installed, answers password prompts; otherwise ``SSH_ASKPASS``); with
``paramiko=True`` (or on Windows) paramiko forwards in a child process.
"""

from zmq.ssh.tunnel import *  # noqa: F403
from zmq.ssh.tunnel import __all__ as __all__
