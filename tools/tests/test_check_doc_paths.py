# SPDX-License-Identifier: BSD-3-Clause
"""tools/check_doc_paths.py on a small git repository whose ARCHITECTURE.md
names paths in each way the real one does, then with one of them gone; and
on the repository itself."""

import subprocess
import textwrap

import check_doc_paths
import pytest
from conftest import REPO

FILES = [
    "ci/test.sh",
    "ci/release/check_wheels.py",
    "tools/check_shape.py",
    "bench/results/latest.md",
    "bench/results/latest.json",
    "packages/zmq-core/pyproject.toml",
    "packages/zmq-core/src/zmq/__init__.pxd",
    "packages/zmq-core/src/zmq/core/context.pyx",
    "packages/zmq-core/src/zmq/core/context.pxd",
    "packages/zmq-core/src/zmq/core/includes/libzmq.pxd",
    "packages/zmq-core/tests/test_context.py",
    "packages/zmq-log/pyproject.toml",
    "packages/zmq-log/src/zmq/log/_version.py",
    ".ci/run",
]
MAP = """\
    # Map
    `ci/test.sh` runs [the release check](ci/release/check_wheels.py);
    see tools/check_shape.py. Results: `bench/results/latest.{md,json}`.

        packages/<distribution>/   pyproject.toml, src/zmq/..., tests/
        zmq/core/context.pyx/.pxd  Context
        zmq/core/includes/libzmq.pxd, zmq/__init__.pxd
        src/zmq/<name>/_version.py

    CI runs `.ci/run`. Not paths: send/recv, asyncio/trio, zmq.core.build,
    /usr/include/zmq.h, https://example.org/ci/missing.sh, and build products
    never tracked: .wheelhouse/<variant>/, .libzmq/draft, .dev/system/lib.
"""


@pytest.fixture
def repo(tmp_path):
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "ARCHITECTURE.md").write_text(textwrap.dedent(MAP))
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=60)
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True, timeout=60)
    return tmp_path


def test_every_named_path_exists(repo):
    assert check_doc_paths.problems_in(repo) == []


@pytest.mark.parametrize("gone, reported", [
    ("ci/release/check_wheels.py", "ARCHITECTURE.md:2: ci/release/check_wheels.py"),
    ("tools/check_shape.py", "ARCHITECTURE.md:3: tools/check_shape.py"),
    ("bench/results/latest.json", "ARCHITECTURE.md:3: bench/results/latest.json"),
    ("packages/zmq-core/src/zmq/core/context.pxd", "ARCHITECTURE.md:6: zmq/core/context.pxd"),
    # moved into a folder: the old name in the map is stale
    ("packages/zmq-core/src/zmq/core/includes/libzmq.pxd",
     "ARCHITECTURE.md:7: zmq/core/includes/libzmq.pxd"),
    ("packages/zmq-log/src/zmq/log/_version.py", "ARCHITECTURE.md:8: src/zmq/*/_version.py"),
    (".ci/run", "ARCHITECTURE.md:10: .ci/run"),
])
def test_a_missing_path_is_reported_with_its_line(repo, gone, reported):
    (repo / gone).unlink()
    assert check_doc_paths.problems_in(repo) == [f"{reported} does not exist"]


def test_the_command_exits_non_zero(repo, capsys):
    (repo / "ci/test.sh").unlink()
    assert check_doc_paths.main(["--root", str(repo)]) == 1
    assert capsys.readouterr().out == "ARCHITECTURE.md:2: ci/test.sh does not exist\n"


def test_the_repository_passes():
    assert check_doc_paths.problems_in(REPO) == []
