# SPDX-License-Identifier: BSD-3-Clause
"""zmq-core's own test helpers. The shared ones (ctx, pair, configure,
endpoint, the slow-joiner sync, readiness waits, the subprocess runner) are
the test kit's (packages/_testing): every socket made by it has linger 0 and
5 s send/receive timeouts, so a test that goes wrong fails with zmq.Again
instead of hanging.
"""

import os
import sys
import weakref
from pathlib import Path

import pytest
from zmq_testkit import run

import zmq

pytest_plugins = ["zmq_testkit.fixtures"]

class Owned(bytearray):
    """A bytearray a weakref can follow (a plain one cannot): shows when
    zmq-core lets go of a zero-copy buffer."""


def send_forgotten(sock, payload):
    """Send `payload` zero-copy from a buffer nobody else references; returns
    a weakref that dies once zmq-core has released the buffer."""
    data = Owned(payload)
    ref = weakref.ref(data)
    sock.send(data, copy=False)
    return ref


VARIANT = os.environ.get("ZMQ_TEST_VARIANT", "")
needs_draft = pytest.mark.skipif(not zmq.DRAFT_API, reason="needs libzmq's draft API")


def active_zmq_h():
    """The zmq.h this zmq-core was built against."""
    for d in zmq.get_includes():
        path = os.path.join(d, "zmq.h")
        if os.path.exists(path):
            return path
    pytest.fail(f"no zmq.h in zmq.get_includes() = {zmq.get_includes()}")


# the monorepo's root: examples/ and tools/ are used by the cimport and libzmq.pxd tests
REPO = Path(__file__).resolve().parents[3]
WHEELHOUSE = os.environ.get("ZMQ_WHEELHOUSE")


# the build requirements of a package that cimports zmq-core (this major
# version, as zmq-core's C-API rule asks)
CIMPORTING_PYPROJECT = """
[build-system]
requires = ["setuptools>=77", "Cython>=3.0.8", "zmq-core>=1.0,<2"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "0.1.0"
"""


def cimporting_project(project, name, files):
    """Write a package that cimports zmq-core into folder `project`: its
    pyproject.toml (named `name`) and `files` ({file name: text})."""
    (project / "pyproject.toml").write_text(CIMPORTING_PYPROJECT.format(name=name))
    for file_name, text in files.items():
        (project / file_name).write_text(text)
    return project


def build_against_zmq_core(project, out):
    """Build the Cython package in folder `project` the way one from an index
    is built (zmq-core as a build requirement, taken from the wheelhouse tox
    built), install it into out/site and return that folder."""
    if not WHEELHOUSE:
        pytest.skip("ZMQ_WHEELHOUSE (set by tox) names the zmq-core wheel to build against")
    build = run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "--find-links", WHEELHOUSE, "-w", str(out / "wheels"), str(project)],
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    wheels = list((out / "wheels").glob("*.whl"))
    assert len(wheels) == 1, wheels
    install = run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps",
         "--target", str(out / "site"), str(wheels[0])],
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    return out / "site"


def run_with(site, code, timeout=60):
    """Run `code` in a fresh interpreter that also sees the packages in `site`."""
    path = [str(site)] + [p for p in [os.environ.get("PYTHONPATH")] if p]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    return run([sys.executable, "-c", code], timeout=timeout, env=env)
