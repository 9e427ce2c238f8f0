# SPDX-License-Identifier: BSD-3-Clause
"""Type-checking small programs against the installed wheels: mypy must
accept every program in <folder>/good (default and --strict) and reject every
one in <folder>/bad, reporting each line that ends with "# wrong"."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


def mypy(path, *flags, cwd):
    """mypy over one program, run from `cwd` (a folder with no packages in
    it, so only the installed ones are seen)."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", os.devnull,
         "--no-error-summary", *flags, str(path)],
        capture_output=True, text=True, timeout=300, cwd=cwd,
    )


def wrong_lines(path):
    return [n for n, line in enumerate(Path(path).read_text().splitlines(), 1)
            if line.endswith("# wrong")]


def program_tests(folder):
    """The two parametrised tests for the programs under `folder`; a test
    module binds them to its own names so pytest collects them there:

        test_correct_programs_type_check, test_wrong_programs_are_rejected = \\
            program_tests(Path(__file__).parent / "typing")
    """
    folder = Path(folder)
    good = sorted((folder / "good").glob("*.py"))
    bad = sorted((folder / "bad").glob("*.py"))
    assert good and bad, f"no programs under {folder}"

    @pytest.mark.timeout(300)
    @pytest.mark.parametrize("flags", [(), ("--strict",)], ids=["default", "strict"])
    @pytest.mark.parametrize("path", good, ids=lambda p: p.name)
    def test_correct_programs_type_check(path, flags):
        run = mypy(path, *flags, cwd=folder)
        assert run.returncode == 0, run.stdout + run.stderr

    @pytest.mark.timeout(300)
    @pytest.mark.parametrize("path", bad, ids=lambda p: p.name)
    def test_wrong_programs_are_rejected(path):
        run = mypy(path, cwd=folder)
        assert run.returncode == 1, run.stdout + run.stderr
        wrong = wrong_lines(path)
        assert wrong, f"{path.name} marks no line '# wrong'"
        reported = {int(line.split(":")[1]) for line in run.stdout.splitlines()
                    if ": error:" in line}
        assert set(wrong) <= reported, run.stdout

    return test_correct_programs_type_check, test_wrong_programs_are_rejected
