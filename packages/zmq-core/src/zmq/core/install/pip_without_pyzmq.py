# SPDX-License-Identifier: BSD-3-Clause
"""``zmq-pip-without-pyzmq``: pip install packages that declare ``pyzmq``
(jupyter_client, ipykernel, ipyparallel, ...) without installing PyZMQ,
whose ``zmq`` package would overwrite zmq-core's.

pip has no way to drop one dependency, so this resolves first and installs
second::

    pip install --dry-run --report FILE ARGS...   # what pip would install
    pip install --no-deps ARGS... PINS...         # the same, less pyzmq

``ARGS`` are passed to both runs unchanged (requirements, ``-r`` files,
index options); ``PINS`` fix every package the resolver chose, except
pyzmq, to the version it chose. Runs the pip of the interpreter it runs on.
"""

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from typing import Any

__all__ = ["EXCLUDED", "main", "pins_from_report"]

# the distributions never to install: PyZMQ ships the zmq package itself
EXCLUDED = frozenset({"pyzmq"})


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def pins_from_report(report: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The requirements that reproduce a ``pip install --report`` resolution
    without the EXCLUDED distributions, and the names of those left out, as
    ``(pins, excluded)``. A package from an index is pinned as
    ``name==version``; one given as a path or URL keeps its URL."""
    pins = []
    excluded = []
    for item in report.get("install", []):
        meta = item["metadata"]
        name = meta["name"]
        if _normalise(name) in EXCLUDED:
            excluded.append(f"{name}=={meta['version']}")
        elif item.get("is_direct"):
            pins.append(f"{name} @ {item['download_info']['url']}")
        else:
            pins.append(f"{name}=={meta['version']}")
    return pins, excluded


def _pip(*args: str) -> list[str]:
    return [sys.executable, "-m", "pip", "install", *args]


def main(argv: Sequence[str] | None = None) -> int:
    """Resolve ``argv`` (pip install's arguments) with pip, then install the
    result without PyZMQ. Returns pip's exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if args else 2
    with tempfile.TemporaryDirectory() as tmp:
        report_path = os.path.join(tmp, "report.json")
        status = subprocess.call(_pip("--dry-run", "--quiet", "--report", report_path, *args))
        if status != 0:
            return status
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
    pins, excluded = pins_from_report(report)
    if excluded:
        print(f"zmq-pip-without-pyzmq: leaving out {', '.join(excluded)} (zmq-core provides zmq)")
    if not pins:
        print("zmq-pip-without-pyzmq: nothing else to install")
        return 0
    return subprocess.call(_pip("--no-deps", *args, *pins))


if __name__ == "__main__":
    sys.exit(main())
