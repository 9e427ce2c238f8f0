# SPDX-License-Identifier: BSD-3-Clause
"""SSH tunnels for zmq connections (OpenSSH client or paramiko)."""

import atexit
import os
import re
import shlex
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from getpass import getpass, getuser
from multiprocessing import Process
from typing import Any

try:
    import paramiko  # type: ignore[import-untyped]

    SSHException = paramiko.SSHException
except ImportError:
    paramiko = None

    class SSHException(Exception):  # type: ignore[no-redef]
        """An SSH login or tunnel could not be set up."""


try:
    import pexpect  # type: ignore[import-untyped]
except ImportError:
    pexpect = None


class MaxRetryExceeded(Exception):
    """Raised when an SSH prompt keeps coming back after several answers."""


_PASSWORD_PROMPT = re.compile(rb"pass(word|phrase)", re.IGNORECASE)
_NEW_HOST_PROMPT = "Are you sure you want to continue connecting"
_MAX_PROMPTS = 10


def select_random_ports(n: int) -> list[int]:
    """*n* distinct TCP ports that are free on this machine right now (each
    bound to port 0 at once, then released)."""
    held: list[socket.socket] = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("", 0))
            held.append(s)
        return [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()


def _split_server(server: str) -> tuple[str, str, int]:
    """``[user@]host[:port]`` -> (user, host, port)."""
    user, _, hostport = server.rpartition("@")
    host, sep, port = hostport.partition(":")
    return user or getuser(), host, int(port) if sep else 22


def _ssh_command(server: str, keyfile: str | None) -> tuple[list[str], str]:
    """The ssh argv prefix and the destination for ``[user@]host[:port]``."""
    args = ["ssh"]
    if keyfile:
        args += ["-i", keyfile]
    destination, sep, port = server.partition(":")
    if sep:
        args += ["-p", port]
    return args, destination


def try_passwordless_ssh(server: str, keyfile: str | None, paramiko: bool | None = None
                         ) -> bool:
    """True if logging in to *server* needs no password (a key or agent
    does it); then tunnels to it never prompt."""
    if paramiko is None:
        paramiko = sys.platform == "win32"
    if paramiko:
        return _try_passwordless_paramiko(server, keyfile)
    return _try_passwordless_openssh(server, keyfile)


def _try_passwordless_openssh(server: str, keyfile: str | None) -> bool:
    args, destination = _ssh_command(server, keyfile)
    # BatchMode: fail instead of prompting, so the answer is the exit status
    run = subprocess.run(
        [*args, "-o", "BatchMode=yes", destination, "exit"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )
    if run.returncode == 0:
        return True
    if b"Host key verification failed" in run.stderr:
        raise SSHException(f"the authenticity of {destination!r} cannot be established")
    return False


def _try_passwordless_paramiko(server: str, keyfile: str | None) -> bool:
    if paramiko is None:
        raise ImportError("paramiko is not installed: pip install paramiko (or use OpenSSH)")
    user, host, port = _split_server(server)
    client = paramiko.SSHClient()
    try:
        client.load_host_keys(os.path.expanduser("~/.ssh/known_hosts"))
    except FileNotFoundError:
        pass
    policy = os.environ.get("PYZMQ_PARAMIKO_HOST_KEY_POLICY")
    if policy:
        client.set_missing_host_key_policy(getattr(paramiko, f"{policy}Policy")())
    try:
        client.connect(host, port, username=user, key_filename=keyfile, look_for_keys=True)
    except paramiko.AuthenticationException:
        return False
    client.close()
    return True


def tunnel_connection(socket: Any, addr: str, server: str, keyfile: str | None = None,
                      password: str | None = None, paramiko: bool | None = None,
                      timeout: float = 60) -> Any:
    """Connect *socket* to *addr* (``tcp://ip:port`` as seen from *server*)
    through an SSH tunnel to *server* (``[user@]host[:port]``). Returns the
    tunnel (a pid for OpenSSH, a Process for paramiko). An unused tunnel
    closes after *timeout* seconds."""
    url, tunnel = open_tunnel(addr, server, keyfile=keyfile, password=password,
                              paramiko=paramiko, timeout=timeout)
    socket.connect(url)
    return tunnel


def open_tunnel(addr: str, server: str, keyfile: str | None = None, password: str | None = None,
                paramiko: bool | None = None, timeout: float = 60) -> tuple[str, Any]:
    """Forward a free local port to *addr* as seen from *server*; return
    ``("tcp://127.0.0.1:<port>", tunnel)``."""
    transport, _, hostport = addr.partition("://")
    if transport != "tcp":
        raise ValueError(f"only tcp endpoints can be tunnelled, not {addr!r}")
    remote_ip, _, remote_port = hostport.rpartition(":")
    local_port = select_random_ports(1)[0]
    if paramiko is None:
        paramiko = sys.platform == "win32"
    start: Callable[..., Any] = paramiko_tunnel if paramiko else openssh_tunnel
    tunnel = start(local_port, int(remote_port), server, remoteip=remote_ip,
                   keyfile=keyfile, password=password, timeout=timeout)
    return f"tcp://127.0.0.1:{local_port}", tunnel


def openssh_tunnel(lport: int, rport: int, server: str, remoteip: str = "127.0.0.1",
                   keyfile: str | None = None, password: str | None = None,
                   timeout: float = 60) -> int:
    """``ssh -L 127.0.0.1:lport:remoteip:rport server`` in the background
    (``-f``), kept up for at least *timeout* seconds, then while in use.
    Returns the pid of the ssh process started. A password, when needed,
    comes from *password*, else a prompt on the terminal."""
    args, destination = _ssh_command(server, keyfile)
    forward = f"127.0.0.1:{lport}:{remoteip}:{rport}"
    # an existing ControlMaster connection can carry the forward
    check = subprocess.run([*args, "-O", "check", destination], capture_output=True,
                           stdin=subprocess.DEVNULL)
    if check.returncode == 0:
        match = re.search(rb"\(pid=(\d+)\)", check.stdout + check.stderr)
        add = subprocess.run([*args, "-O", "forward", "-L", forward, destination],
                             capture_output=True, stdin=subprocess.DEVNULL)
        if add.returncode == 0 and match:
            atexit.register(subprocess.run, [*args, "-O", "cancel", "-L", forward, destination],
                            capture_output=True, stdin=subprocess.DEVNULL)
            return int(match.group(1))
    command = [*args, "-f", "-S", "none", "-o", "ExitOnForwardFailure=yes",
               "-L", forward, destination, "sleep", str(int(timeout))]
    if pexpect is not None:
        return _openssh_with_pexpect(command, server, password)
    return _openssh_with_askpass(command, server, password)


def _openssh_with_pexpect(command: list[str], server: str, password: str | None) -> int:
    env = dict(os.environ)
    env.pop("SSH_ASKPASS", None)
    child = pexpect.spawn(shlex.join(command), env=env)
    rejected = False
    for _ in range(_MAX_PROMPTS):
        try:
            which = child.expect([_NEW_HOST_PROMPT, _PASSWORD_PROMPT], timeout=60)
        except pexpect.EOF:
            child.close()
            if child.exitstatus:
                raise RuntimeError(
                    f"ssh tunnel to {server} failed (exit status {child.exitstatus}):"
                    f" {child.before.decode(errors='replace').strip()}"
                ) from None
            pid: int = child.pid
            return pid
        if which == 0:
            raise SSHException(f"the authenticity of {server!r} cannot be established")
        if rejected or password is None:
            if rejected:
                print("Password rejected, try again")
            password = getpass(f"{server}'s password: ")
        child.sendline(password)
        rejected = True
    raise MaxRetryExceeded(f"ssh kept prompting after {_MAX_PROMPTS} answers")


def _openssh_with_askpass(command: list[str], server: str, password: str | None) -> int:
    env = dict(os.environ)
    askpass = None
    if password is not None:
        # ssh asks this program for the password; the password travels in
        # the environment of ssh alone, never on a command line or on disk
        fd, askpass = tempfile.mkstemp(prefix="zmq-ssh-askpass-")
        with os.fdopen(fd, "w") as f:
            f.write('#!/bin/sh\nprintf "%s\\n" "$ZMQ_SSH_PASSWORD"\n')
        os.chmod(askpass, stat.S_IRWXU)
        env.update(SSH_ASKPASS=askpass, SSH_ASKPASS_REQUIRE="force", ZMQ_SSH_PASSWORD=password)
        env.setdefault("DISPLAY", ":0")
    try:
        proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL if password else None,
                                stderr=subprocess.PIPE)
        _, err = proc.communicate(timeout=120)
    finally:
        if askpass:
            os.unlink(askpass)
    if proc.returncode:
        raise RuntimeError(
            f"ssh tunnel to {server} failed (exit status {proc.returncode}):"
            f" {err.decode(errors='replace').strip()}"
        )
    return proc.pid


def paramiko_tunnel(lport: int, rport: int, server: str, remoteip: str = "127.0.0.1",
                    keyfile: str | None = None, password: str | None = None,
                    timeout: float = 60) -> Process:
    """Forward 127.0.0.1:lport to remoteip:rport (as seen from *server*)
    with paramiko, in a daemon child process; returns the Process. For
    where the ssh command is missing (Windows)."""
    if paramiko is None:
        raise ImportError("paramiko is not installed: pip install paramiko")
    if password is None and not _try_passwordless_paramiko(server, keyfile):
        password = getpass(f"{server}'s password: ")
    proc = Process(target=_paramiko_forward, args=(lport, rport, server, remoteip),
                   kwargs={"keyfile": keyfile, "password": password}, daemon=True)
    proc.start()
    return proc


def _paramiko_forward(lport: int, rport: int, server: str, remoteip: str,
                      keyfile: str | None = None, password: str | None = None) -> None:
    import signal

    from zmq.ssh.forward import forward_tunnel

    user, host, port = _split_server(server)
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.WarningPolicy())
    try:
        client.connect(host, port, username=user, key_filename=keyfile,
                       look_for_keys=True, password=password)
    except Exception as e:
        print(f"cannot connect to {host}:{port}: {e!r}", file=sys.stderr)
        sys.exit(1)
    # the parent's Ctrl-C must not tear the tunnel down under it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forward_tunnel(lport, remoteip, rport, client.get_transport())
    except Exception as e:
        print(f"port forwarding stopped: {e!r}", file=sys.stderr)
        sys.exit(255)


ssh_tunnel = paramiko_tunnel if sys.platform == "win32" else openssh_tunnel

__all__ = [
    "tunnel_connection",
    "ssh_tunnel",
    "openssh_tunnel",
    "paramiko_tunnel",
    "try_passwordless_ssh",
]
