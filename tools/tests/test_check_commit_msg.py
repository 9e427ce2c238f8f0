# SPDX-License-Identifier: BSD-3-Clause
"""tools/check_commit_msg.py on messages, and the commit-msg hook that runs
it in a real git repository: a long subject is refused, a short one with a
body is committed."""

import shutil
import subprocess

import check_commit_msg
import pytest
from conftest import REPO

SHORT = "ci: build only the wheels the selected environments install"
LONG = ("ci: build only the wheels the selected environments install, and keep "
        "the others")


def test_short_subject_and_body_pass():
    assert check_commit_msg.problems(f"{SHORT}\n\nThe detail.\nMore detail.\n") == []


def test_subject_of_exactly_72_characters_passes():
    assert check_commit_msg.problems("x" * 72 + "\n") == []
    assert len(check_commit_msg.problems("x" * 73 + "\n")) == 1


def test_long_subject_fails():
    (problem,) = check_commit_msg.problems(f"{LONG}\n\nbody\n")
    assert f"the subject is {len(LONG)} characters, at most 72" in problem


def test_body_glued_to_the_subject_fails():
    (problem,) = check_commit_msg.problems(f"{SHORT}\nbody at once\n")
    assert "second line must be blank" in problem


def test_what_git_drops_is_ignored():
    message = (f"\n# Please enter the commit message\n{SHORT}\n# a comment\n\nbody\n"
               f"{check_commit_msg.SCISSORS}\n{LONG}\n")
    assert check_commit_msg.problems(message) == []


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("needs git")
    # the hook calls the checker of the repository it runs in
    shutil.copytree(REPO / "tools" / "git-hooks", tmp_path / "tools" / "git-hooks")
    shutil.copy(REPO / "tools" / "check_commit_msg.py", tmp_path / "tools")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@localhost"]
    subprocess.run([*git, "init", "-q"], check=True, timeout=60)
    subprocess.run([*git, "config", "core.hooksPath", "tools/git-hooks"], check=True, timeout=60)
    subprocess.run([*git, "add", "."], check=True, timeout=60)
    return git


def commit(git, message):
    return subprocess.run([*git, "commit", "-q", "-m", message], capture_output=True,
                          text=True, timeout=60)


def test_the_hook_refuses_a_long_subject_and_takes_a_short_one(repo):
    refused = commit(repo, f"{LONG}\n\nbody")
    assert refused.returncode != 0
    assert "commit-msg: the subject is" in refused.stderr
    assert subprocess.run([*repo, "rev-parse", "-q", "--verify", "HEAD"],
                          capture_output=True, timeout=60).returncode != 0
    taken = commit(repo, f"{SHORT}\n\nbody")
    assert taken.returncode == 0, taken.stderr
    log = subprocess.run([*repo, "log", "--format=%s"], capture_output=True, text=True,
                         check=True, timeout=60)
    assert log.stdout == f"{SHORT}\n"
