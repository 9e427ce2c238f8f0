# SPDX-License-Identifier: BSD-3-Clause
"""zmq.ssh: a zmq connection through a real SSH tunnel, to a private sshd
on 127.0.0.1 (started here, with its own host key and authorized key)."""

import os
import shutil
import subprocess
import time

import pytest

import zmq
from zmq.ssh import tunnel

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else None)


def test_select_random_ports_are_distinct_and_free():
    import socket

    ports = tunnel.select_random_ports(20)
    assert len(set(ports)) == 20
    for port in ports:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


def test_split_server():
    assert tunnel._split_server("alice@gateway:2222") == ("alice", "gateway", 2222)
    assert tunnel._split_server("gateway")[1:] == ("gateway", 22)


def test_only_tcp_can_be_tunnelled():
    with pytest.raises(ValueError, match="only tcp"):
        tunnel.open_tunnel("ipc:///tmp/x", "127.0.0.1")


@pytest.fixture
def sshd(tmp_path):
    """An sshd on a free 127.0.0.1 port accepting one fresh key for the
    current user; yields (server string, private key file)."""
    if SSHD is None or os.geteuid() != 0:
        pytest.skip("needs sshd (Debian's openssh-server, ci/provision-libzmq.sh) and root")
    for kind in ("host", "user"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / kind)],
            check=True, timeout=30,
        )
    (tmp_path / "authorized_keys").write_text((tmp_path / "user.pub").read_text())
    port = tunnel.select_random_ports(1)[0]
    config = tmp_path / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {tmp_path / 'host'}\n"
        f"AuthorizedKeysFile {tmp_path / 'authorized_keys'}\nPidFile none\n"
        "UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n"
        "PasswordAuthentication no\nAllowTcpForwarding yes\n"
    )
    os.makedirs("/run/sshd", exist_ok=True)
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)],
                            stderr=subprocess.PIPE, text=True)
    try:
        # ready once it logs that it listens
        deadline = time.monotonic() + 20
        for line in proc.stderr:
            if "listening on" in line.lower() or time.monotonic() > deadline:
                break
        if proc.poll() is not None:
            pytest.fail(f"sshd exited: {proc.stderr.read()}")
        import getpass

        yield f"{getpass.getuser()}@127.0.0.1:{port}", str(tmp_path / "user")
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.mark.timeout(90)
def test_paramiko_tunnel_carries_a_zmq_round_trip(sshd, monkeypatch):
    pytest.importorskip("paramiko")
    server, keyfile = sshd
    # a host key never seen before: accept it (the tunnel child warns)
    monkeypatch.setenv("PYZMQ_PARAMIKO_HOST_KEY_POLICY", "Warning")
    assert tunnel.try_passwordless_ssh(server, keyfile, paramiko=True)
    ctx = zmq.Context()
    rep = ctx.socket(zmq.REP)
    req = ctx.socket(zmq.REQ)
    for s in (rep, req):
        s.linger = 0
        s.rcvtimeo = s.sndtimeo = 20_000
    port = rep.bind_to_random_port("tcp://127.0.0.1")
    proc = tunnel.tunnel_connection(req, f"tcp://127.0.0.1:{port}", server,
                                    keyfile=keyfile, paramiko=True)
    try:
        assert req.last_endpoint.decode() != f"tcp://127.0.0.1:{port}"
        req.send(b"through ssh")
        assert rep.recv() == b"through ssh"
        rep.send(b"and back")
        assert req.recv() == b"and back"
    finally:
        proc.terminate()
        proc.join(10)
        req.close()
        rep.close()
        ctx.term()
