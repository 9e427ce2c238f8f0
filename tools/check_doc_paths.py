# SPDX-License-Identifier: BSD-3-Clause
"""Check that every repository path the map documents name exists.

Reads ARCHITECTURE.md, CONTRIBUTING.md and README.md and takes as a path
each word with a ``/`` whose first part is

- a top-level folder of the repository that git tracks (``ci/dev.sh``,
  ``packages/zmq-core/setup.py``, ``tools/``, ``.ci/run``); build products
  (``.wheelhouse/``, ``.libzmq/``, ``.dev/``, ``dist/``) are not tracked
  and so never count;
- ``zmq`` (``zmq/core/socket.pyx``, ``zmq/__init__.pxd``): a path in some
  distribution's ``src/``, ``packages/*/src/zmq/...``;
- ``src`` or ``tests`` (``src/zmq/<name>/_version.py``): a path in some
  distribution's folder.

A word's spellings are all checked: ``<name>`` and ``*`` match any one
part (at least one file must match), ``{md,json}`` each of its choices,
and ``context.pyx/.pxd`` both files. URLs, absolute paths, dotted module
names (``zmq.core.build``) and words like ``send/recv`` are not paths.

Exit status 1 with ``FILE:LINE: PATH does not exist`` per missing path.

usage: python tools/check_doc_paths.py [--root REPO] [DOC...]
"""

import argparse
import itertools
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = ("ARCHITECTURE.md", "CONTRIBUTING.md", "README.md")
# a path's characters, with {a,b} choices kept whole
WORD = re.compile(r"(?:[\w.\-/<>*]|\{[\w.,\-]*\})+")
# roots inside every distribution's folder
IN_DISTRIBUTION = {"src", "tests"}


def tracked_roots(root):
    """The top-level folders git tracks files in (without git: the
    folders not hidden by a leading dot)."""
    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], check=True,
                             capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return {p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")}
    return {name.split("/", 1)[0] for name in out.split("\0") if "/" in name}


def spellings(word):
    """Every path *word* stands for: {a,b} choices and ``x.pyx/.pxd`` pairs
    expanded; ``<...>`` made a glob ``*``."""
    word = re.sub(r"<[^<>/]*>", "*", word)
    parts = re.split(r"(\{[^{}]*\})", word)
    choices = [p[1:-1].split(",") if p.startswith("{") else [p] for p in parts]
    out = []
    for combination in itertools.product(*choices):
        path = "".join(combination)
        # zmq/core/context.pyx/.pxd: context.pyx and context.pxd
        m = re.fullmatch(r"(.*/)?([^/]+?)(\.\w+)/(\.\w+)/?", path)
        if m:
            folder, stem = m.group(1) or "", m.group(2)
            out += [f"{folder}{stem}{m.group(3)}", f"{folder}{stem}{m.group(4)}"]
        else:
            out.append(path)
    return out


def candidates(word, roots):
    """The folders *word* is relative to, or [] when it is no repository path."""
    word = word.rstrip(".,:;")
    if "/" not in word or word.startswith("/") or "//" in word:
        return word, []
    first = word.split("/", 1)[0]
    if first in roots:
        return word, [""]
    if first == "zmq":
        return word, ["packages/*/src/"]
    if first in IN_DISTRIBUTION:
        return word, ["packages/*/"]
    return word, []


def exists(root, pattern):
    if any(c in pattern for c in "*?["):
        return any(True for _ in root.glob(pattern.rstrip("/")))
    return (root / pattern).exists()


def problems_in(root, docs=DOCS):
    root = Path(root)
    roots = tracked_roots(root)
    found = []
    for doc in docs:
        path = root / doc
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            # links' targets and texts, code spans and plain words alike;
            # URLs left out
            for raw in WORD.findall(re.sub(r"\w+://\S+", " ", line)):
                word, bases = candidates(raw, roots)
                for spelling in spellings(word) if bases else []:
                    if not any(exists(root, base + spelling) for base in bases):
                        found.append(f"{doc}:{number}: {spelling} does not exist")
    return found


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the repository")
    parser.add_argument("docs", nargs="*", default=list(DOCS), help="files under the root")
    args = parser.parse_args(argv)
    problems = problems_in(args.root, args.docs)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} documented path(s) missing", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
