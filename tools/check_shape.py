# SPDX-License-Identifier: BSD-3-Clause
"""Check that every published distribution (packages/zmq-*) has the same shape:

- pyproject.toml: the same tables in the same order, the same [project] keys
  in the same order, the same base classifiers plus at least one of its own,
  the same Project-URL names, the version read from src/zmq/<name>/_version.py;
- README.md: the same sections (what it gives, install, an example, the docs);
- CHANGELOG.md: the same headings.

Run by tox's lint env; prints what differs and exits 1.

usage: python tools/check_shape.py [--root REPO]
"""

import argparse
import re
import sys
from pathlib import Path

import tomllib

REPO = Path(__file__).resolve().parents[1]


def distributions(root):
    """The published distributions' folders: packages/zmq-* with a pyproject.toml."""
    return sorted(p for p in (root / "packages").glob("zmq-*") if (p / "pyproject.toml").exists())

# the tables in their order; a distribution may lack one (no extras, no scripts)
TABLES = [
    "project",
    "project.optional-dependencies",
    "project.urls",
    "project.scripts",
    "project.entry-points",
    "build-system",
    "tool.setuptools.dynamic",
    "tool.setuptools",
    "tool.setuptools.packages.find",
    "tool.setuptools.package-data",
    "tool.setuptools.exclude-package-data",
]
PROJECT_KEYS = [
    "name", "dynamic", "description", "readme", "license", "license-files",
    "requires-python", "authors", "classifiers", "dependencies",
]
URLS = ["Homepage", "Documentation", "Source", "Issues", "Changelog"]
README_SECTIONS = ["## What it gives", "## Install", "## Example", "## Documentation"]


def table_headers(text):
    """The [table] headers of a TOML file, in order, entry-point groups folded."""
    headers = re.findall(r"^\[([^\[\]]+)\]\s*$", text, flags=re.M)
    return [re.sub(r"^project\.entry-points\..*", "project.entry-points", h) for h in headers]


def check(dist):
    name = dist.name
    short = name.removeprefix("zmq-")
    text = (dist / "pyproject.toml").read_text()
    meta = tomllib.loads(text)
    project = meta["project"]
    problems = []

    headers = table_headers(text)
    unknown = [h for h in headers if h not in TABLES]
    if unknown:
        problems.append(f"tables not in the house order: {unknown}")
    known = [h for h in headers if h in TABLES]
    if known != sorted(known, key=TABLES.index):
        problems.append(f"tables out of order: {known}; the order is {TABLES}")
    keys = [k for k, v in project.items() if not isinstance(v, dict)]  # not its sub-tables
    if keys != PROJECT_KEYS:
        problems.append(f"[project] keys {keys}; expected {PROJECT_KEYS}")
    if project.get("name") != name:
        problems.append(f"name {project.get('name')!r} is not the folder's")
    if project.get("license") != "BSD-3-Clause" or project.get("license-files") != ["LICENSE"]:
        problems.append("license must be the PEP 639 pair BSD-3-Clause / [LICENSE]")
    if list(project.get("urls", {})) != URLS:
        problems.append(f"Project-URLs {list(project.get('urls', {}))}; expected {URLS}")
    version = meta.get("tool", {}).get("setuptools", {}).get("dynamic", {}).get("version", {})
    attr = f"zmq.{short}._version.__version__"
    if project.get("dynamic") != ["version"] or version.get("attr") != attr:
        problems.append(f"the version must come from {attr}")
    if not (dist / "src" / "zmq" / short / "_version.py").is_file():
        problems.append(f"no src/zmq/{short}/_version.py")

    readme = (dist / "README.md").read_text()
    sections = re.findall(r"^## .*$", readme, flags=re.M)
    if not readme.startswith(f"# {name}\n") or sections != README_SECTIONS:
        problems.append(f"README.md sections {sections}; "
                        f"expected '# {name}' then {README_SECTIONS}")
    if len(re.findall(r"^```python$", readme, flags=re.M)) != 1:
        problems.append("README.md needs one ```python example")

    changelog = (dist / "CHANGELOG.md").read_text()
    if not changelog.startswith(f"# {name} changelog\n\nWhat changed in each release of {name}, "
                                "newest first.\n\n## "):
        problems.append("CHANGELOG.md does not open with the house headings")
    return problems


def problems_in(root):
    """Every distribution's problems, as "zmq-x: what differs" lines."""
    dists = distributions(root)
    classifiers = {d.name: set(tomllib.loads((d / "pyproject.toml").read_text())["project"]
                               .get("classifiers", [])) for d in dists}
    # the base: what most distributions list; each lists all of it plus a topic of its own
    base = {c for c in set().union(set(), *classifiers.values())
            if sum(c in mine for mine in classifiers.values()) > len(dists) / 2}
    found = []
    for dist in dists:
        problems = check(dist)
        mine = classifiers[dist.name]
        if base - mine:
            problems.append(f"classifiers lack the shared {sorted(base - mine)}")
        if not mine - base:
            problems.append("classifiers: no topic of its own beside the shared ones")
        found.extend(f"{dist.name}: {p}" for p in problems)
    return found


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the repository")
    root = parser.parse_args(argv).root
    problems = problems_in(root)
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{len(distributions(root))} distributions, one shape")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
