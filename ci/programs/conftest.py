# SPDX-License-Identifier: BSD-3-Clause
"""Shared fixtures of the programs tests: Jupyter and IPython keep their
files in a temporary folder, and no process a test started outlives it."""

import os

import psutil
import pytest

# how long a test waits for its processes to exit after asking them to
EXIT_TIMEOUT = 10


@pytest.fixture(autouse=True, scope="session")
def private_jupyter_dirs(tmp_path_factory):
    """Connection files, profiles and kernel specs in a temporary folder,
    never the user's ~/.jupyter or ~/.ipython."""
    base = tmp_path_factory.mktemp("jupyter")
    names = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "IPYTHONDIR": "ipython",
    }
    saved = {name: os.environ.get(name) for name in [*names, "JUPYTER_PLATFORM_DIRS"]}
    for name, folder in names.items():
        os.environ[name] = str(base / folder)
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    yield base
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def running(process):
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def stop(processes):
    """Terminate, then kill, every process in ``processes`` that still runs;
    return those that had to be stopped."""
    alive = [p for p in processes if running(p)]
    for p in alive:
        try:
            p.terminate()
        except psutil.NoSuchProcess:
            pass
    _, still = psutil.wait_procs(alive, timeout=EXIT_TIMEOUT)
    for p in still:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(still, timeout=EXIT_TIMEOUT)
    return alive


@pytest.fixture(autouse=True)
def no_leftover_processes():
    """Fail a test that leaves a child process running, and end those
    processes whatever the test's outcome."""
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    yield
    # a program's clean shutdown may take a moment to reap its children
    left = [p for p in me.children(recursive=True) if p.pid not in before]
    _, left = psutil.wait_procs(left, timeout=EXIT_TIMEOUT)
    stopped = stop(left)
    assert not stopped, f"processes left running: {[p.pid for p in stopped]}"
