# SPDX-License-Identifier: BSD-3-Clause
"""Download the third-party build requirements of every distribution (what
packages/*/pyproject.toml's [build-system] requires, this project's own
distributions left out) as wheels for one CPython into a folder.

Every wheel build then runs with `--no-index --find-links FOLDER --find-links
WHEELHOUSE`: an index is asked only here, for the build tools, so it can never
substitute one of this project's distributions (zmq-devices build-requires
zmq-core, which must be the wheel just built).

usage: build_tools.py FOLDER [PYTHON]   (PYTHON: the CPython the builds run on)
"""

import re
import subprocess
import sys
from pathlib import Path

import tomllib

REPO = Path(__file__).resolve().parents[1]


def build_requirements():
    """The build requirements of packages/*, without this project's own."""
    ours = {p.name for p in (REPO / "packages").iterdir()}
    found = set()
    for pyproject in sorted((REPO / "packages").glob("*/pyproject.toml")):
        with open(pyproject, "rb") as f:
            found.update(tomllib.load(f)["build-system"]["requires"])
    # a requirement starts with its project's name
    return sorted(r for r in found if re.match(r"[\w.-]+", r).group() not in ours)


def download(folder, python=sys.executable):
    # pip's output only when it fails (a machine's pip config may add noise)
    result = subprocess.run([python, "-m", "pip", "download", "-q", "--only-binary", ":all:",
                             "-d", str(folder), *build_requirements()],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"pip download of the build tools failed:\n{result.stdout}{result.stderr}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    download(*sys.argv[1:])
