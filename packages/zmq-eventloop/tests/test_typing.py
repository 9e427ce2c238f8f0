# SPDX-License-Identifier: BSD-3-Clause
"""The awaitable sockets' types: mypy accepts correct programs (default and --strict) and
rejects wrong ones (a forgotten await), against the installed wheels."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy")
HERE = Path(__file__).parent / "typing"
GOOD = sorted((HERE / "good").glob("*.py"))
BAD = sorted((HERE / "bad").glob("*.py"))


def mypy(path, *flags):
    # from an empty folder: only the installed packages are seen
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", os.devnull,
         "--no-error-summary", *flags, str(path)],
        capture_output=True, text=True, timeout=300, cwd=HERE,
    )


@pytest.mark.timeout(300)
@pytest.mark.parametrize("flags", [(), ("--strict",)], ids=["default", "strict"])
@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_correct_programs_type_check(path, flags):
    run = mypy(path, *flags)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.timeout(300)
@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_wrong_programs_are_rejected(path):
    run = mypy(path)
    assert run.returncode == 1, run.stdout + run.stderr
    # each line marked "# wrong" is reported
    wrong = [n for n, line in enumerate(path.read_text().splitlines(), 1)
             if line.endswith("# wrong")]
    assert wrong
    reported = {int(line.split(":")[1]) for line in run.stdout.splitlines() if ": error:" in line}
    assert set(wrong) <= reported, run.stdout
