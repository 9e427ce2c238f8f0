# SPDX-License-Identifier: BSD-3-Clause
"""Run PyZMQ's own test suite against this project's installed wheels.

Used by the ``conformance-{system,draft}`` tox environments:

1. installs every wheel of the variant's wheelhouse (all distributions);
2. downloads PyZMQ's sdist from PyPI into a temporary folder (never into
   the repository) and extracts only ``tests/`` and ``pytest.ini``, and what
   ``tests/test_mypy.py`` type-checks beside them: ``examples/``,
   ``mypy_tests/`` and the ``mypy.ini`` it runs mypy with;
3. runs those tests from there, deselecting the ones listed in
   ``ci/conformance/deselect.txt`` (tests that cannot apply, each with its
   reason), and test_pyzmq_api.py beside this file, which checks that every
   public module and name in the sdist's ``zmq/`` exists here;
4. ends with ``conformance: N passed, M failed, K skipped, D deselected``.

usage: python ci/conformance/run.py WORKDIR [pytest args...]
"""

import glob
import os
import subprocess
import sys
import tarfile

import pytest

PYZMQ = "pyzmq==27.2.0"
HERE = os.path.dirname(os.path.abspath(__file__))
DESELECT_FILE = os.path.join(HERE, "deselect.txt")
FLAKY_FILE = os.path.join(HERE, "flaky.txt")
# what is taken from the sdist to run: the suite, its pytest.ini, and what
# tests/test_mypy.py type-checks (from the folder above tests/, with the
# mypy.ini there, as in PyZMQ's checkout)
SUITE_FILES = ("pytest.ini", "mypy.ini")
SUITE_FOLDERS = ("tests/", "examples/", "mypy_tests/")


def install_wheels(wheelhouse):
    wheels = sorted(glob.glob(os.path.join(wheelhouse, "*.whl")))
    if not wheels:
        sys.exit(f"conformance: no wheels in {wheelhouse}; run ci/build-wheels.sh first")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", *wheels],
        check=True,
    )


def fetch_sdist(workdir):
    """Download PyZMQ's sdist and extract from it, into *workdir*: tests/ and
    pytest.ini (to run) with what test_mypy.py checks where it looks for it
    (examples/, mypy_tests/ and mypy.ini beside tests/), and zmq/'s Python
    sources (read, never imported, by test_pyzmq_api.py). Return (tests
    folder, sources folder)."""
    download = os.path.join(workdir, "sdist")
    os.makedirs(download, exist_ok=True)
    if not glob.glob(os.path.join(download, "pyzmq-*.tar.gz")):
        # --no-binary for pyzmq only: its build requirements come as wheels
        # (with :all:, pip would compile cmake from source to read metadata)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps",
             "--no-binary", "pyzmq", PYZMQ, "-d", download],
            check=True,
        )
    (sdist,) = glob.glob(os.path.join(download, "pyzmq-*.tar.gz"))
    tests = os.path.join(workdir, "pyzmq-tests")
    source = os.path.join(workdir, "pyzmq-source")
    with tarfile.open(sdist) as tar:
        top = tar.getnames()[0].split("/")[0]
        suite, api = [], []
        for m in tar.getmembers():
            name = m.name[len(top) + 1:]
            if name in SUITE_FILES or name.startswith(SUITE_FOLDERS):
                suite.append(m)
            elif name.startswith("zmq/") and name.endswith(".py"):
                api.append(m)
            else:
                continue
            m.name = name
        tar.extractall(tests, members=suite, filter="data")
        tar.extractall(source, members=api, filter="data")
    return tests, source


def read_test_ids(path):
    """Test ids from a list file: one per line, then '#' and the reason."""
    ids = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            test_id, sep, reason = line.partition("#")
            if not sep or not reason.strip():
                sys.exit(f"{path}:{number}: every listed test needs '# reason'")
            ids.append(test_id.strip())
    return ids


class RerunRaces:
    """pytest plugin: the tests of flaky.txt get pytest-rerunfailures'
    flaky mark (3 reruns) and a short timeout per try (a lost race blocks
    until the timeout); every other test has one try."""

    def __init__(self, ids):
        self.ids = set(ids)

    def pytest_collection_modifyitems(self, items):
        for item in items:
            if item.nodeid in self.ids:
                item.add_marker(pytest.mark.flaky(reruns=3))
                item.add_marker(pytest.mark.timeout(20))


class Tally:
    """pytest plugin counting outcomes for the closing line."""

    def __init__(self):
        self.counts = {"passed": 0, "failed": 0, "skipped": 0, "deselected": 0}

    def pytest_deselected(self, items):
        self.counts["deselected"] += len(items)

    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.passed:
            self.counts["passed"] += 1
        elif report.failed:
            # a failure in setup, call or teardown counts once per phase, as pytest does
            self.counts["failed"] += 1
        elif report.skipped:
            self.counts["skipped"] += 1

    def pytest_collectreport(self, report):
        if report.failed:
            self.counts["failed"] += 1


def main():
    workdir = os.path.abspath(sys.argv[1])
    extra = sys.argv[2:]
    install_wheels(os.environ["ZMQ_WHEELHOUSE"])
    tests, source = fetch_sdist(workdir)
    os.environ["PYZMQ_SOURCE"] = source
    # -c: the suite's pytest.ini (asyncio_mode=auto, ...) also with a path
    # outside its folder on the command line
    args = ["-p", "no:cacheprovider", "--timeout=120", "-ra", "--rootdir", tests,
            "-c", os.path.join(tests, "pytest.ini"),
            "--continue-on-collection-errors"]
    for test_id in read_test_ids(DESELECT_FILE):
        args += ["--deselect", test_id]
    tally = Tally()
    os.chdir(tests)
    # PyZMQ's suite, then this project's check that PyZMQ's public modules
    # and names all exist here
    paths = [] if any(not a.startswith("-") for a in extra) else [
        "tests", os.path.join(HERE, "test_pyzmq_api.py")]
    status = pytest.main(args + extra + paths,
                         plugins=[tally, RerunRaces(read_test_ids(FLAKY_FILE))])
    c = tally.counts
    print(
        f"conformance: {c['passed']} passed, {c['failed']} failed,"
        f" {c['skipped']} skipped, {c['deselected']} deselected"
    )
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
