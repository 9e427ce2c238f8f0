# SPDX-License-Identifier: BSD-3-Clause
"""ipyparallel on this stack: a controller and two engines on 127.0.0.1,
a map over a view, a numpy array pushed to and pulled back from every
engine, and a shutdown that leaves no process behind."""

import sys
import uuid

import ipyparallel as ipp
import numpy as np
import psutil
import pytest

ENGINES = 2
TIMEOUT = 30


@pytest.fixture
def cluster(tmp_path):
    """A running cluster of ENGINES engines and a client connected to it;
    the cluster is stopped (its processes killed if they linger) and the
    client closed, whatever happens."""
    cluster = ipp.Cluster(
        n=ENGINES,
        cluster_id=uuid.uuid4().hex[:8],
        profile_dir=str(tmp_path / "profile"),
        controller_ip="127.0.0.1",
        engine_timeout=TIMEOUT,
        controller_args=["--ping=1000"],
        log_level=30,
    )
    client = None
    try:
        client = cluster.start_and_connect_sync(activate=False)
        yield cluster, client
    finally:
        if client is not None:
            client.close()
        cluster.stop_cluster_sync()


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

    # a clean shutdown: asked over zmq, the controller (with its schedulers),
    # the engines and their nannies all exit by themselves
    processes = psutil.Process().children(recursive=True)
    assert len(processes) > ENGINES
    client.shutdown(hub=True, block=True)
    _, alive = psutil.wait_procs(processes, timeout=TIMEOUT)
    assert alive == []
