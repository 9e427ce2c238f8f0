# SPDX-License-Identifier: BSD-3-Clause
"""Check the boundaries between the distributions under packages/.

Every distribution ships modules of the one ``zmq`` package
(``packages/<dist>/src/zmq/...``); which module belongs to which distribution
is read from those files. Then each distribution's shipped sources (.py and
.pyi parsed with ast; .pyx, .pxd and .pxi read line by line for ``import``,
``cimport`` and ``from ... (c)import``) are checked, and every use of another
distribution's module fails the check when

- a module path component or imported name is private: it starts with ``_``,
  is no dunder, and is not listed in the static ``__all__`` of the module
  that holds it (``zmq._FINISHED_TRACKER`` is public: zmq.__all__ lists it);
  an attribute read straight off an imported module counts too
  (``zmq.ssh.tunnel._split_server``);
- it is a cimport of something ``zmq/__init__.pxd`` does not expose: that
  file is zmq-core's public C API (``from zmq cimport Socket, libzmq``);
- the other distribution is not declared in the importing one's pyproject
  dependencies or optional dependencies (extras), unless the import is
  optional: inside a ``try`` that catches ImportError, where the importer
  names the distribution to install or does without it (zmq-core's
  ``zmq.backend.cython._zmq.monitored_queue``, found in zmq-devices when
  that is installed). Such an import still uses public names only.

Exit status 1 with one line per problem, 0 when the boundaries hold.

usage: python tools/check_boundaries.py [--root REPO]
"""

import argparse
import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = None

REPO = Path(__file__).resolve().parents[1]
PYTHON_SUFFIXES = (".py", ".pyi")
CYTHON_SUFFIXES = (".pyx", ".pxd", ".pxi")
# the package every distribution adds to, and the distribution that owns
# zmq/__init__.pxd, the public C API
ROOT_PACKAGE = "zmq"
C_API_FILE = "__init__.pxd"
IMPORT_ERRORS = ("ImportError", "ModuleNotFoundError")


@dataclass
class Distribution:
    name: str
    folder: Path
    declared: set = field(default_factory=set)  # distribution names it may import
    files: list = field(default_factory=list)  # (path, module name)


@dataclass(frozen=True)
class Use:
    """One use of a module: ``module`` (dotted), ``names`` taken from it
    (empty for a plain import), and whether it is a cimport."""

    path: Path
    line: int
    module: str
    names: tuple
    cimport: bool
    optional: bool = False  # inside a try whose except catches ImportError


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement):
    return _normalise(re.match(r"\s*([A-Za-z0-9_.\-]+)", requirement).group(1))


def _toml_arrays(text, wanted):
    """The string arrays of a pyproject without tomllib (Python 3.10):
    {(table, key): [strings]} for the (table, key) pairs *wanted* accepts."""
    arrays, table, key, depth, items = {}, "", None, 0, []
    for line in text.splitlines():
        if key is None:
            header = re.match(r"\s*\[([^\[\]]+)\]\s*$", line)
            if header:
                table = header.group(1).strip()
                continue
            entry = re.match(r"\s*([A-Za-z0-9_\-]+)\s*=\s*(\[.*)", line)
            if not entry or not wanted(table, entry.group(1)):
                continue
            key, line = entry.group(1), entry.group(2)
        # strings first, then the brackets outside them
        strings = re.findall(r'"([^"]*)"' + r"|'([^']*)'", line)
        items += [a or b for a, b in strings]
        bare = re.sub(r'"[^"]*"' + r"|'[^']*'", "", line.split("#", 1)[0])
        depth += bare.count("[") - bare.count("]")
        if depth <= 0:
            arrays[(table, key)] = items
            key, depth, items = None, 0, []
    return arrays


def _declared_requirements(pyproject):
    text = pyproject.read_text()
    if tomllib is not None:
        project = tomllib.loads(text).get("project", {})
        requirements = list(project.get("dependencies", []))
        for extra in project.get("optional-dependencies", {}).values():
            requirements += extra
    else:
        arrays = _toml_arrays(text, lambda table, key: (table, key) == ("project", "dependencies")
                              or table == "project.optional-dependencies")
        requirements = [r for strings in arrays.values() for r in strings]
    return {_requirement_name(r) for r in requirements}


def _module_name(src, path):
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def load_distributions(root):
    """The distributions under root/packages and, per shipped module name,
    the distribution that ships it."""
    dists, owner = {}, {}
    for pyproject in sorted((root / "packages").glob("*/pyproject.toml")):
        folder = pyproject.parent
        src = folder / "src"
        if not (src / ROOT_PACKAGE).is_dir():
            continue  # not a part of the zmq package (a private test kit...)
        dist = Distribution(_normalise(folder.name), folder, _declared_requirements(pyproject))
        for path in sorted((src / ROOT_PACKAGE).rglob("*")):
            if path.suffix not in PYTHON_SUFFIXES + CYTHON_SUFFIXES or "build" in path.parts:
                continue
            module = _module_name(src, path)
            dist.files.append((path, module))
            owner.setdefault(module, dist.name)
        dists[dist.name] = dist
    return dists, owner


# -- reading imports ------------------------------------------------------------


def _resolve_relative(module, level, importer, is_package):
    if not level:
        return module
    base = importer.split(".")
    if not is_package:
        base.pop()
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _catches_import_error(handler):
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(k, ast.Name) and k.id in IMPORT_ERRORS for k in kinds)


def _guarded_nodes(tree):
    """The nodes inside the body of a try that catches ImportError."""
    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
            for statement in node.body:
                guarded.update(id(n) for n in ast.walk(statement))
    return guarded


def _python_uses(path, importer):
    tree = ast.parse(path.read_text(), str(path))
    is_package = path.stem == "__init__"
    guarded = _guarded_nodes(tree)
    uses = []
    bound = {}  # local name -> module it is bound to by a plain import
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                uses.append(Use(path, node.lineno, alias.name, (), False, id(node) in guarded))
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    bound.setdefault(top, top)
        elif isinstance(node, ast.ImportFrom):
            module = _resolve_relative(node.module or "", node.level, importer, is_package)
            names = tuple(a.name for a in node.names if a.name != "*")
            uses.append(Use(path, node.lineno, module, names, False, id(node) in guarded))
    # attributes read off an imported module: zmq.ssh.tunnel._split_server
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or isinstance(node.ctx, ast.Del):
            continue
        chain = []
        inner = node
        while isinstance(inner, ast.Attribute):
            chain.append(inner.attr)
            inner = inner.value
        if isinstance(inner, ast.Name) and inner.id in bound:
            chain.reverse()
            dotted = f"{bound[inner.id]}.{'.'.join(chain)}"
            uses.append(Use(path, node.lineno, dotted, (), False, id(node) in guarded))
    return uses


_CYTHON_IMPORT = re.compile(
    r"^\s*(?:from\s+(?P<from>[\w.]+)\s+(?P<kind>cimport|import)\s+(?P<names>.*)"
    r"|(?P<plain>cimport|import)\s+(?P<modules>[\w.]+(?:\s+as\s+\w+)?"
    r"(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*))"
)


def _cython_statements(text):
    """(line number, statement) with parenthesised and backslash-continued
    imports joined, comments dropped."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start = i
        statement = lines[i].split("#", 1)[0]
        while (statement.count("(") > statement.count(")")
               or statement.rstrip().endswith("\\")) and i + 1 < len(lines):
            i += 1
            statement = statement.rstrip().rstrip("\\") + " " + lines[i].split("#", 1)[0]
        yield start + 1, statement
        i += 1


def _indent(line):
    return len(line) - len(line.lstrip())


def _cython_guarded(lines, index):
    """Whether line *index* sits in the body of a ``try:`` with an
    ``except`` clause that names ImportError (read by indentation)."""
    depth = _indent(lines[index])
    for i in range(index - 1, -1, -1):
        text = lines[i].split("#", 1)[0]
        if not text.strip() or _indent(text) >= depth:
            continue
        depth = _indent(text)
        if text.strip() == "try:":
            for after in lines[index + 1:]:
                code = after.split("#", 1)[0]
                if not code.strip() or _indent(code) > depth:
                    continue
                if _indent(code) < depth or not code.strip().startswith(("except", "else",
                                                                          "finally")):
                    break
                if code.strip().startswith("except") and any(
                        e in code for e in IMPORT_ERRORS):
                    return True
            return False
    return False


def _cython_uses(path, importer):
    is_package = path.stem == "__init__"
    lines = path.read_text().splitlines()
    uses = []
    for line, statement in _cython_statements("\n".join(lines)):
        m = _CYTHON_IMPORT.match(statement)
        if not m:
            continue
        optional = _cython_guarded(lines, line - 1)
        if m.group("from"):
            level = len(m.group("from")) - len(m.group("from").lstrip("."))
            module = _resolve_relative(m.group("from").lstrip("."), level, importer, is_package)
            names = tuple(
                part.split()[0]
                for part in m.group("names").replace("(", " ").replace(")", " ").split(",")
                if part.strip() and part.strip() != "*"
            )
            uses.append(Use(path, line, module, names, m.group("kind") == "cimport", optional))
        else:
            for part in m.group("modules").split(","):
                uses.append(Use(path, line, part.split()[0], (), m.group("plain") == "cimport",
                                optional))
    return uses


def uses_of(path, importer):
    if path.suffix in PYTHON_SUFFIXES:
        return _python_uses(path, importer)
    return _cython_uses(path, importer)


# -- what is public -------------------------------------------------------------


class Surface:
    """What the modules under the given root offer: module owners, static
    ``__all__`` lists and the public C API of zmq/__init__.pxd."""

    def __init__(self, dists, owner):
        self.owner = owner
        self._files = {}
        for dist in dists.values():
            for path, module in dist.files:
                self._files.setdefault(module, []).append(path)
        self._all = {}
        self.c_api_names, self.c_api_modules, self.c_api_sources = self._read_c_api()

    def split(self, dotted):
        """(the longest known module prefix of *dotted*, the rest as a list)."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            if module in self.owner:
                return module, parts[cut:]
        return None, parts

    def static_all(self, module):
        if module not in self._all:
            names = set()
            for path in self._files.get(module, ()):
                if path.suffix not in PYTHON_SUFFIXES:
                    continue
                for node in ast.walk(ast.parse(path.read_text(), str(path))):
                    targets = []
                    if isinstance(node, ast.Assign):
                        targets = node.targets
                    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                        targets = [node.target]
                    if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) \
                            and isinstance(node.value, (ast.List, ast.Tuple)):
                        names.update(e.value for e in node.value.elts
                                     if isinstance(e, ast.Constant))
            self._all[module] = names
        return self._all[module]

    def is_private(self, module, name):
        """Whether *name*, looked up in *module*, is private."""
        if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
            return False
        return name not in self.static_all(module)

    def _read_c_api(self):
        names, modules, sources = set(), set(), set()
        for path in self._files.get(ROOT_PACKAGE, ()):
            if path.name != C_API_FILE:
                continue
            for use in _cython_uses(path, ROOT_PACKAGE):
                if not use.cimport:
                    continue
                if use.names:
                    for name in use.names:
                        names.add(name)
                        if f"{use.module}.{name}" in self.owner:
                            modules.add(f"{use.module}.{name}")  # a whole module
                        else:
                            sources.add((use.module, name))
                else:
                    modules.add(use.module)
        return names, modules, sources

    def in_c_api(self, module, names):
        """Whether cimporting *names* from *module* stays within zmq/__init__.pxd."""
        if module == ROOT_PACKAGE:
            return all(n in self.c_api_names for n in names)
        if any(module == m or module.startswith(m + ".") for m in self.c_api_modules):
            return True
        return bool(names) and all((module, n) in self.c_api_sources for n in names)


# -- the check ----------------------------------------------------------------


def _targets(use, surface):
    """(module, names, owner) for each distribution module *use* reaches:
    ``from zmq.utils import jsonapi`` reaches zmq.utils.jsonapi itself."""
    module, rest = surface.split(use.module)
    if module is None:
        return []
    if rest:
        # a module-level name; what follows it is an attribute of that object
        # (zmq.Socket._socket_class), not the module's to hide
        return [(module, (rest[0],), surface.owner[module])]
    targets, plain = [], []
    for name in use.names:
        if f"{module}.{name}" in surface.owner:
            targets.append((f"{module}.{name}", (), surface.owner[f"{module}.{name}"]))
        else:
            plain.append(name)
    if plain or not use.names:
        targets.append((module, tuple(plain), surface.owner[module]))
    return targets


def problems_in(root):
    dists, owner = load_distributions(root)
    surface = Surface(dists, owner)
    found = []
    for dist in dists.values():
        for path, importer in dist.files:
            for use in uses_of(path, importer):
                for module, names, target in _targets(use, surface):
                    if target == dist.name:
                        continue
                    where = f"{path.relative_to(root)}:{use.line}"
                    what = module if not names else f"{module}: {', '.join(names)}"
                    parts = module.split(".")
                    private = [
                        ".".join(parts[: i + 1]) for i in range(1, len(parts))
                        if surface.is_private(".".join(parts[:i]), parts[i])
                    ] + [f"{module}.{n}" for n in names if surface.is_private(module, n)]
                    if private:
                        found.append(f"{where}: {dist.name} uses {target}'s private"
                                     f" {', '.join(private)}")
                    if use.cimport and not surface.in_c_api(module, names):
                        found.append(f"{where}: {dist.name} cimports {what}, which"
                                     f" zmq/__init__.pxd (zmq-core's public C API) does not"
                                     f" expose")
                    if target not in dist.declared and not use.optional:
                        found.append(f"{where}: {dist.name} uses {target} ({what}) without"
                                     f" declaring it in its pyproject dependencies or extras")
    return sorted(set(found))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the repository")
    args = parser.parse_args(argv)
    found = problems_in(args.root.resolve())
    for problem in found:
        print(problem)
    if found:
        print(f"check_boundaries: {len(found)} problem(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
