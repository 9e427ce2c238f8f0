# SPDX-License-Identifier: BSD-3-Clause
"""The recipe installed the programs without PyZMQ: nothing but zmq-core
owns the zmq package, and pyzmq is the only requirement left unmet."""

import importlib.metadata
import re
import subprocess
import sys

import pytest

PROGRAMS = {"jupyter-client", "ipykernel", "ipyparallel", "locust"}


def test_pyzmq_is_not_installed():
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.distribution("pyzmq")
    for name in PROGRAMS:
        importlib.metadata.distribution(name)


def test_every_zmq_file_belongs_to_this_project():
    owners = {}
    for dist in importlib.metadata.distributions():
        for path in dist.files or []:
            if path.parts[0] == "zmq":
                owners.setdefault(dist.metadata["Name"], 0)
                owners[dist.metadata["Name"]] += 1
    assert owners, "no distribution ships zmq/"
    assert all(name.startswith("zmq-") for name in owners), owners


def test_pyzmq_is_the_only_unmet_requirement():
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, timeout=120
    )
    # this project's wheels go in with --no-deps (zmq-green's gevent is not
    # needed here): only the third-party packages' requirements count
    problems = [
        line for line in proc.stdout.splitlines() if line.strip() and not line.startswith("zmq-")
    ]
    unmet = {
        m.group(1).lower().replace("_", "-")
        for line in problems
        if (m := re.match(r"(\S+) \S+ requires pyzmq, which is not installed\.$", line))
    }
    assert len(unmet) == len(problems), problems
    assert PROGRAMS <= unmet


def test_import_zmq_is_quiet():
    # no PyZMQInstalledWarning (nor any other) when the recipe was followed
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import zmq, zmq.core"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
