# SPDX-License-Identifier: BSD-3-Clause
"""Locust on this stack: its distributed mode (the master and its workers
talk over zmq.green ROUTER/DEALER sockets, under gevent's monkey-patching)
with a master and two workers on 127.0.0.1, headless.

The workers and the master exchange custom messages of 100 kB and 2 MiB
both ways while the workers' users fire requests (locust_app/locustfile.py
says how the run goes and ends). Every payload arrives intact, every
request a worker fired reaches the master's statistics, and every process
exits 0 by itself.

Before zmq-core kept its internal threads OS threads under monkey-patching,
a worker froze on its first send of 64 kB or more."""

import csv
import json
import os
import socket
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
LOCUSTFILE = os.path.join(HERE, "locust_app", "locustfile.py")
SIZES = ["100000", str(2 * 1024 * 1024)]
WORKERS = 2
USERS = 6
# the master gives up after the locustfile's TIMEOUT (30 s) from the test's
# start; its workers connect within --expect-workers-max-wait
MASTER_TIMEOUT = 90
WORKER_TIMEOUT = 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(name, args, tmp_path):
    """A locust process whose output goes to <tmp_path>/<name>.log."""
    env = dict(os.environ, LOCUST_TEST_OUT=str(tmp_path), PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "locust", "-f", LOCUSTFILE, "--loglevel", "WARNING", *args]
    with open(tmp_path / f"{name}.log", "wb") as log:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=env, cwd=tmp_path,
        )


def outputs(tmp_path, names):
    return "\n".join(
        f"--- {name}\n{(tmp_path / f'{name}.log').read_text(errors='replace')}" for name in names
    )


@pytest.mark.timeout(MASTER_TIMEOUT + 2 * WORKER_TIMEOUT + 10)
def test_master_and_two_workers_exchange_large_messages(tmp_path):
    port = free_port()
    master = start(
        "master",
        ["--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port),
         "--headless", "--expect-workers", str(WORKERS), "--expect-workers-max-wait", "30",
         "-u", str(USERS), "-r", str(USERS), "--csv", str(tmp_path / "run"), "--only-summary"],
        tmp_path,
    )
    workers = {
        f"worker{i}": start(
            f"worker{i}",
            ["--worker", "--master-host", "127.0.0.1", "--master-port", str(port)],
            tmp_path,
        )
        for i in range(WORKERS)
    }
    # a process still running when its time is up is left to the conftest's
    # no_leftover_processes, which ends it
    codes = {}
    for name, process, timeout in [("master", master, MASTER_TIMEOUT),
                                   *[(n, p, WORKER_TIMEOUT) for n, p in workers.items()]]:
        try:
            codes[name] = process.wait(timeout)
        except subprocess.TimeoutExpired:
            codes[name] = "still running"
    report = outputs(tmp_path, ["master", *workers])
    assert codes == dict.fromkeys(["master", *workers], 0), report
    assert "Traceback" not in report, report

    def results(role):
        return [json.loads(p.read_text()) for p in sorted(tmp_path.glob(f"{role}-*.json"))]

    [seen_by_master] = results("master")
    seen_by_workers = {seen["name"]: seen for seen in results("worker")}
    assert len(seen_by_workers) == WORKERS, report

    # every payload of every size arrived intact, both ways
    assert seen_by_master["problems"] == [], report
    assert seen_by_master["received"] == {
        name: dict.fromkeys(SIZES, "ok") for name in seen_by_workers
    }, report
    for seen in seen_by_workers.values():
        assert seen["problems"] == [], report
        assert seen["received"] == dict.fromkeys(SIZES, "ok"), report

    # every request fired reached the master's statistics, and no more
    fired = {name: seen["fired"] for name, seen in seen_by_workers.items()}
    assert all(count > 0 for count in fired.values()), fired
    assert seen_by_master["fired"] == fired
    with open(tmp_path / "run_stats.csv", newline="") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    assert int(rows["recorded"]["Request Count"]) == sum(fired.values()), (rows, fired)
    assert int(rows["recorded"]["Failure Count"]) == 0, rows
    assert int(rows["Aggregated"]["Request Count"]) == sum(fired.values()), rows
