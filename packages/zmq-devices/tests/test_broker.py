# SPDX-License-Identifier: BSD-3-Clause
"""The zmq-broker command (python -m zmq.devices) in a subprocess, with real
clients, statistics, CURVE, clean SIGTERM/SIGINT exits and one-line errors."""

import os
import shutil
import signal
import socket as pysocket
import sys
import threading
import time

import pytest
from zmq_testkit import configure, drain, make_socket, run, until_received

import zmq


def free_port():
    with pysocket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# zmq-broker, started by the kit's spawn fixture with ready="running": its
# output lines are collected as they come, so a test can wait for one (a
# statistics line...), and it is always killed and reaped
BROKER = [sys.executable, "-u", "-m", "zmq.devices"]


@pytest.fixture
def ports():
    return free_port(), free_port()


def test_queue_broker_req_rep_and_clean_sigterm(spawn, ctx, ports):
    front, back = ports
    broker = spawn([*BROKER, "queue", "--frontend", f"tcp://127.0.0.1:{front}",
                    "--backend", f"tcp://127.0.0.1:{back}"], ready="running")
    req = make_socket(ctx, zmq.REQ, connect=f"tcp://127.0.0.1:{front}")
    rep = make_socket(ctx, zmq.REP, connect=f"tcp://127.0.0.1:{back}")
    for i in range(5):
        req.send(b"ping %d" % i)
        assert rep.recv() == b"ping %d" % i
        rep.send(b"pong %d" % i)
        assert req.recv() == b"pong %d" % i
    req.close()
    rep.close()
    code, out, err = broker.stop()
    assert code == 0, err
    assert "stopped" in out


def test_streamer_with_capture_and_stats(spawn, ctx, ports, tmp_path):
    front, back = ports
    capture = f"ipc://{tmp_path}/capture"
    broker = spawn([*BROKER, "streamer", "-f", f"tcp://127.0.0.1:{front}",
                    "-b", f"tcp://127.0.0.1:{back}", "--capture", capture,
                    "--stats", "0.2"], ready="running")
    tap = make_socket(ctx, zmq.SUB, subscribe=b"", connect=capture)
    push = make_socket(ctx, zmq.PUSH, connect=f"tcp://127.0.0.1:{front}")
    pull = make_socket(ctx, zmq.PULL, connect=f"tcp://127.0.0.1:{back}")
    # ready once the tap's subscription has reached the capture socket: a
    # sync message then shows on the tap
    syncs = 0

    def sync():
        nonlocal syncs
        push.send(b"sync")
        syncs += 1
        assert pull.recv() == b"sync"

    until_received(tap, sync, poll_ms=50)
    drain(tap)
    for i in range(10):
        push.send(b"item %d" % i)
    assert [pull.recv() for _ in range(10)] == [b"item %d" % i for i in range(10)]
    total = f"frontend→backend {syncs + 10} msgs"
    assert broker.wait_for_line(lambda line: total in line) is not None, broker.lines
    captured = []
    while tap.poll(100):
        captured.append(tap.recv())
    # libzmq's steerable proxy also copies its control commands to capture
    assert [m for m in captured if m.startswith(b"item")] == [b"item %d" % i for i in range(10)]
    for s in (tap, push, pull):
        s.close()
    code, out, err = broker.stop(signal.SIGINT)
    assert code == 0, err
    assert "final:" in out


def test_forwarder_pub_sub(spawn, ctx, ports):
    front, back = ports
    broker = spawn([*BROKER, "forwarder", "-f", f"tcp://127.0.0.1:{front}",
                    "-b", f"tcp://127.0.0.1:{back}"], ready="running")
    pub = make_socket(ctx, zmq.PUB, connect=f"tcp://127.0.0.1:{front}")
    sub = make_socket(ctx, zmq.SUB, subscribe=b"news", connect=f"tcp://127.0.0.1:{back}")
    news = until_received(sub, lambda: pub.send(b"news: hello"), poll_ms=50)
    assert news[0].startswith(b"news")
    pub.close()
    sub.close()
    assert broker.stop()[0] == 0


def test_curve_broker(spawn, ctx, ports, tmp_path):
    front, back = ports
    server_public, server_secret = zmq.curve_keypair()
    key_file = tmp_path / "broker.key"
    key_file.write_text(f"# broker key\nsecret-key = \"{server_secret.decode()}\"\n")
    os.chmod(key_file, 0o600)
    broker = spawn([*BROKER, "streamer", "-f", f"tcp://127.0.0.1:{front}",
                    "-b", f"tcp://127.0.0.1:{back}",
                    "--curve-secret-key-file", str(key_file)], ready="running")

    def client(socket_type, port):
        s = configure(ctx.socket(socket_type))
        public, secret = zmq.curve_keypair()
        s.curve_publickey, s.curve_secretkey = public, secret
        s.curve_serverkey = server_public
        s.connect(f"tcp://127.0.0.1:{port}")
        return s

    push, pull = client(zmq.PUSH, front), client(zmq.PULL, back)
    push.send(b"encrypted")
    assert pull.recv() == b"encrypted"
    # a client with the wrong server key gets nothing through
    intruder = configure(ctx.socket(zmq.PUSH))
    intruder.curve_publickey, intruder.curve_secretkey = zmq.curve_keypair()
    intruder.curve_serverkey = zmq.curve_keypair()[0]
    intruder.connect(f"tcp://127.0.0.1:{front}")
    if intruder.poll(500, zmq.POLLOUT):
        intruder.send(b"should not pass", zmq.NOBLOCK)
    assert pull.poll(500) == 0
    for s in (push, pull, intruder):
        s.close()
    assert broker.stop()[0] == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["queue", "-f", "tcp://not a host:1", "-b", "tcp://127.0.0.1:*"], "cannot bind"),
        (["queue", "-f", "nope://x", "-b", "tcp://127.0.0.1:*"], "cannot bind nope://x"),
        (["queue", "-f", "tcp://127.0.0.1:*", "-b", "tcp://127.0.0.1:*",
          "--curve-secret-key-file", "/no/such/file"], "cannot read CURVE key file"),
    ],
)
def test_one_line_errors(args, message):
    out = run([*BROKER, *args], timeout=30)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert message in lines[0]


def test_console_script_runs_the_command():
    # the zmq-broker script pip installs next to python (zmq.devices.__main__:main)
    exe = shutil.which("zmq-broker", path=os.path.dirname(sys.executable))
    if exe is None:
        # tox installs the wheel, whose script must be there; a source-tree
        # venv (ci/dev.sh) may have none
        assert not os.environ.get("ZMQ_WHEELHOUSE"), "the zmq-broker script is not installed"
        pytest.skip("zmq-broker is tested from an installed wheel (tox)")
    out = run([exe, "queue", "-f", "nope://x", "-b", "tcp://127.0.0.1:*"], timeout=30)
    assert out.returncode == 2
    assert out.stderr.startswith("zmq-broker: error: cannot bind nope://x"), out.stderr


def test_port_in_use_is_one_line(ctx):
    blocker = ctx.socket(zmq.PULL)
    port = blocker.bind_to_random_port("tcp://127.0.0.1")
    out = run([*BROKER, "streamer", "-f", f"tcp://127.0.0.1:{port}", "-b", "tcp://127.0.0.1:*"],
              timeout=30)
    blocker.close(linger=0)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "Address already in use" in out.stderr


def test_bad_key_file_content(tmp_path):
    key_file = tmp_path / "bad.key"
    key_file.write_text("not a key\n")
    out = run([*BROKER, "queue", "-f", "tcp://127.0.0.1:*", "-b", "tcp://127.0.0.1:*",
               "--curve-secret-key-file", str(key_file)], timeout=30)
    assert out.returncode == 2
    assert "no valid 40-character Z85 CURVE secret key" in out.stderr


@pytest.mark.parametrize("attempt", range(3))
def test_sigint_with_fast_statistics_stops_at_once_and_cleanly(spawn, ports, attempt):
    front, back = ports
    broker = spawn([*BROKER, "streamer", "-f", f"tcp://127.0.0.1:{front}",
                    "-b", f"tcp://127.0.0.1:{back}", "--stats", "0.02"], ready="running")
    assert broker.wait_for_line(lambda line: "frontend→backend" in line) is not None
    started = time.monotonic()
    code, out, err = broker.stop(signal.SIGINT)
    took = time.monotonic() - started
    assert code == 0, err
    assert "Traceback" not in err and "ZMQError" not in err, err
    assert "final:" in out and "stopped" in out
    assert took < 3, f"stopping took {took:.1f} s"


def test_statistics_back_to_back():
    from zmq.devices.broker import Broker

    ctx = zmq.Context()
    broker = Broker("streamer", ["inproc://stats-front"], ["inproc://stats-back"], context=ctx,
                    linger=0)
    runner = threading.Thread(target=broker.run, daemon=True)
    runner.start()
    try:
        push = make_socket(ctx, zmq.PUSH, connect="inproc://stats-front")
        pull = make_socket(ctx, zmq.PULL, connect="inproc://stats-back")
        push.send(b"counted")
        assert pull.recv() == b"counted"
        for _ in range(50):
            stats = broker.statistics()
            assert stats["frontend_msgs_in"] == 1
        # from several threads at once too
        errors = []

        def ask():
            try:
                for _ in range(20):
                    broker.statistics()
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        askers = [threading.Thread(target=ask) for _ in range(3)]
        for t in askers:
            t.start()
        for t in askers:
            t.join(20)
        assert not errors
        push.close()
        pull.close()
    finally:
        broker.stop()
        runner.join(5)
        assert not runner.is_alive()
        broker.close()
        ctx.term()
