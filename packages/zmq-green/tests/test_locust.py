# SPDX-License-Identifier: BSD-3-Clause
"""A real consumer: Locust's distributed mode (its master and workers talk
over zmq.green ROUTER/DEALER sockets) with a master and two workers on
127.0.0.1, headless for a few seconds. Every request a worker fires must
reach the master's statistics, and every process must exit 0."""

import csv
import importlib.util
import os
import socket
import sys

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("locust") is None, reason="locust is not installed"
)

HERE = os.path.dirname(os.path.abspath(__file__))
LOCUSTFILE = os.path.join(HERE, "locust_app", "locustfile.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.timeout(90)
def test_locust_master_and_two_workers(spawn, tmp_path):
    port = free_port()
    env = dict(os.environ, ZMQ_GREEN_LOCUST_OUT=str(tmp_path), PYTHONUNBUFFERED="1")
    # locust imports gevent and monkey-patches: in processes of their own
    # (the kit's spawn kills and reaps whichever is left when the test ends)
    locust = [sys.executable, "-m", "locust", "-f", LOCUSTFILE, "--loglevel", "WARNING"]
    master = spawn(
        locust + ["--master", "--master-bind-host", "127.0.0.1", "--master-bind-port",
                  str(port), "--headless", "--expect-workers", "2",
                  "--expect-workers-max-wait", "30", "-u", "6", "-r", "6", "-t", "4s",
                  "--csv", str(tmp_path / "run"), "--only-summary"],
        env=env, cwd=tmp_path,
    )
    workers = [
        spawn(locust + ["--worker", "--master-host", "127.0.0.1", "--master-port", str(port)],
              env=env, cwd=tmp_path)
        for _ in range(2)
    ]
    outputs = {}
    for name, child, timeout in [("master", master, 60), ("worker0", workers[0], 20),
                                 ("worker1", workers[1], 20)]:
        child.wait(timeout)
        outputs[name] = child.stdout() + child.stderr()
    report = "\n".join(f"--- {name}\n{out}" for name, out in outputs.items())
    assert master.returncode == 0, report
    assert [w.returncode for w in workers] == [0, 0], report
    assert "ModuleNotFoundError" not in report and "Traceback" not in report, report

    counts = [int(p.read_text()) for p in tmp_path.glob("*.count")]
    assert len(counts) == 2, report
    assert all(c > 0 for c in counts), counts
    with open(tmp_path / "run_stats.csv", newline="") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    assert int(rows["recorded"]["Request Count"]) == sum(counts), (rows, counts, report)
    assert int(rows["recorded"]["Failure Count"]) == 0
