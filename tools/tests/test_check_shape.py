# SPDX-License-Identifier: BSD-3-Clause
"""tools/check_shape.py on copies of real distributions' metadata, each
copy then bent out of the house shape in one way, and on the repository."""

import shutil

import check_shape
import pytest
from conftest import REPO

# a compiled one, pure ones, one with extras and an entry point
COPIED = ["zmq-core", "zmq-serial", "zmq-log", "zmq-eventloop"]


@pytest.fixture
def tree(tmp_path):
    """packages/ with COPIED's pyproject.toml, README, CHANGELOG and _version.py."""
    for name in COPIED:
        src, dest = REPO / "packages" / name, tmp_path / "packages" / name
        dest.mkdir(parents=True)
        for f in ("pyproject.toml", "README.md", "CHANGELOG.md"):
            shutil.copy(src / f, dest / f)
        short = name.removeprefix("zmq-")
        version = dest / "src" / "zmq" / short / "_version.py"
        version.parent.mkdir(parents=True)
        shutil.copy(src / "src" / "zmq" / short / "_version.py", version)
    return tmp_path


def edit(tree, name, file, old, new):
    path = tree / "packages" / name / file
    text = path.read_text()
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1))


def only(found, *words):
    assert len(found) == 1, found
    for word in words:
        assert word in found[0], found


def test_the_copies_pass(tree):
    assert check_shape.problems_in(tree) == []


def test_the_repository_passes(capsys):
    assert check_shape.main(["--root", str(REPO)]) == 0
    assert "one shape" in capsys.readouterr().out


def test_tables_out_of_order(tree):
    path = tree / "packages/zmq-log/pyproject.toml"
    text = path.read_text()
    build, rest = text.split("[build-system]", 1)
    path.write_text("[build-system]" + rest + "\n" + build)
    assert any("zmq-log: tables out of order" in p for p in check_shape.problems_in(tree))


def test_name_not_the_folders(tree):
    edit(tree, "zmq-serial", "pyproject.toml", 'name = "zmq-serial"', 'name = "zmq-serialise"')
    only(check_shape.problems_in(tree), "zmq-serial: name 'zmq-serialise'")


def test_version_file_missing(tree):
    (tree / "packages/zmq-log/src/zmq/log/_version.py").unlink()
    only(check_shape.problems_in(tree), "zmq-log: no src/zmq/log/_version.py")


def test_readme_section_renamed(tree):
    edit(tree, "zmq-serial", "README.md", "## Install", "## Installation")
    only(check_shape.problems_in(tree), "zmq-serial: README.md sections")


def test_changelog_heading(tree):
    edit(tree, "zmq-log", "CHANGELOG.md", "# zmq-log changelog", "# Changes")
    only(check_shape.problems_in(tree), "zmq-log: CHANGELOG.md")


def test_licence_not_pep_639(tree):
    edit(tree, "zmq-core", "pyproject.toml", 'license = "BSD-3-Clause"', 'license = "BSD"')
    only(check_shape.problems_in(tree), "zmq-core: license")


def test_shared_classifier_missing(tree, capsys):
    path = tree / "packages/zmq-eventloop/pyproject.toml"
    lines = path.read_text().splitlines(keepends=True)
    # one of the classifiers every distribution lists
    shared = '"Intended Audience :: Developers",'
    first = next(i for i, line in enumerate(lines) if line.strip() == shared)
    del lines[first]
    path.write_text("".join(lines))
    only(check_shape.problems_in(tree), "zmq-eventloop: classifiers lack the shared")
    assert check_shape.main(["--root", str(tree)]) == 1
    assert "zmq-eventloop: classifiers lack" in capsys.readouterr().out
