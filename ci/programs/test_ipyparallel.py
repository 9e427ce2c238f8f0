# SPDX-License-Identifier: BSD-3-Clause
"""ipyparallel on this stack: a controller and two engines on 127.0.0.1,
a map over a view, a numpy array pushed to and pulled back from every
engine, load-balanced tasks, and a shutdown that leaves no process behind
and in which every process exits by itself with status 0. Two set-ups: the
controller's relays and schedulers in processes of their own (forwarding
their logs to a collector through ``IPController.log_url``), and in
threads of the controller (``--usethreads``)."""

import sys
import threading
import uuid

import ipyparallel as ipp
import numpy as np
import psutil
import pytest

import zmq

ENGINES = 2
TIMEOUT = 30


class LogCollector:
    """The log_url end: a SUB socket bound on 127.0.0.1, read by a thread
    into ``records`` [(topic, message)] until close()."""

    def __init__(self):
        self.ctx = zmq.Context()
        self.sub = self.ctx.socket(zmq.SUB)
        self.sub.linger = 0
        self.sub.subscribe(b"")
        self.url = f"tcp://127.0.0.1:{self.sub.bind_to_random_port('tcp://127.0.0.1')}"
        self.records = []
        self.lock = threading.RLock()
        self.arrived = threading.Condition(self.lock)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while not self.stopping.is_set():
            if self.sub.poll(50):
                topic, message, *_ = self.sub.recv_multipart() + [b""]
                with self.arrived:
                    self.records.append((topic.decode(), message.decode(errors="replace")))
                    self.arrived.notify_all()

    def matching(self, text, topic_prefix=""):
        with self.lock:
            return [r for r in self.records if r[0].startswith(topic_prefix) and text in r[1]]

    def wait_for(self, text, topic_prefix="", timeout=TIMEOUT):
        """Wait until a record with *text* under *topic_prefix* has come."""
        with self.arrived:
            return self.arrived.wait_for(lambda: self.matching(text, topic_prefix), timeout)

    def close(self):
        self.stopping.set()
        self.thread.join(TIMEOUT)
        self.sub.close()
        self.ctx.term()


@pytest.fixture
def log_collector():
    collector = LogCollector()
    yield collector
    collector.close()


@pytest.fixture(params=["processes", "threads"])
def cluster(request, tmp_path, log_collector):
    """A running cluster of ENGINES engines and a client connected to it;
    the cluster is stopped (its processes killed if they linger) and the
    client closed, whatever happens."""
    args = ["--ping=1000", f"--IPController.log_url={log_collector.url}", "--log-level=DEBUG"]
    if request.param == "threads":
        args.append("--usethreads")
    cluster = ipp.Cluster(
        n=ENGINES,
        cluster_id=uuid.uuid4().hex[:8],
        profile_dir=str(tmp_path / "profile"),
        controller_ip="127.0.0.1",
        engine_timeout=TIMEOUT,
        controller_args=args,
        log_level=30,
    )
    cluster.setup = request.param
    cluster.log_collector = log_collector
    cluster.log_dir = tmp_path / "profile" / "log"
    client = None
    try:
        client = cluster.start_and_connect_sync(activate=False)
        yield cluster, client
    finally:
        if client is not None:
            client.close()
        cluster.stop_cluster_sync()


def crash_reports(log_dir):
    """Lines of the cluster's log files (its processes' stdout and stderr)
    that report a crash: a libzmq assertion (then SIGABRT) or a fatal error
    of the interpreter (a segmentation fault, an abort)."""
    found = []
    for path in sorted(log_dir.glob("*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if "Assertion failed" in line or "Fatal Python error" in line:
                found.append(f"{path.name}: {line}")
    return found


def square(x):
    return x * x


@pytest.mark.timeout(120)
def test_map_push_pull_and_shutdown(cluster):
    cluster, client = cluster
    assert sorted(client.ids) == list(range(ENGINES))
    view = client[:]

    assert view.map_sync(square, range(10)) == [x * x for x in range(10)]

    # every engine runs this environment's Python and zmq-core's classes
    engines = view.apply_sync(
        lambda: (__import__("sys").prefix, __import__("zmq").Context.__module__)
    )
    assert engines == [(sys.prefix, "zmq.core.context")] * ENGINES

    array = np.arange(24, dtype=np.float64).reshape(4, 6)
    view.push({"array": array}, block=False).get(timeout=TIMEOUT)
    pulled = view.pull("array", block=False).get(timeout=TIMEOUT)
    assert len(pulled) == ENGINES
    for got in pulled:
        assert got.dtype == array.dtype
        np.testing.assert_array_equal(got, array)

    # the engines can work on it where it is
    totals = view.apply_sync(lambda: float(__import__("__main__").array.sum()))
    assert totals == [float(array.sum())] * ENGINES

    # load-balanced tasks go through the task scheduler, which logs each one
    # (at DEBUG) through the controller's log_url
    balanced = client.load_balanced_view()
    results = [balanced.apply_async(square, n) for n in range(6)]
    assert [r.get(timeout=TIMEOUT) for r in results] == [n * n for n in range(6)]
    log_collector = cluster.log_collector
    # in the processes set-up the scheduler is a process of its own, with
    # its own Context and PUB socket wrapped in a PUBHandler
    scheduler_topic = "scheduler" if cluster.setup == "processes" else ""
    for r in results:
        assert log_collector.wait_for(f"Attempting to assign task {r.msg_ids[0]}",
                                      scheduler_topic), (r.msg_ids, log_collector.records[-20:])
    assert log_collector.wait_for("", "controller")

    # a clean shutdown: asked over zmq, the controller (with its schedulers
    # and relays), the engines and their nannies all exit by themselves, none
    # killed by a signal (a libzmq assertion at exit shows as -SIGABRT).
    # Status 1 is ipyparallel 9.2's own: its engine's run_sync raises
    # "Event loop stopped before Future completed" in some shutdowns, on
    # PyZMQ too (its traceback goes to the kernel's captured stderr).
    processes = psutil.Process().children(recursive=True)
    assert len(processes) > ENGINES
    commands = {p.pid: " ".join(p.cmdline()) for p in processes}
    client.shutdown(hub=True, block=True)
    gone, alive = psutil.wait_procs(processes, timeout=TIMEOUT)
    assert alive == []
    # the exit statuses psutil could read (ipyparallel's launchers reap
    # some first), and the processes' own output
    statuses = {commands[p.pid]: p.returncode for p in gone if p.returncode is not None}
    assert set(statuses.values()) <= {0, 1}, statuses
    assert crash_reports(cluster.log_dir) == []
