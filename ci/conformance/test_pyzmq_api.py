# SPDX-License-Identifier: BSD-3-Clause
"""Every public module and name of PyZMQ exists here too.

Walks the ``zmq/`` sources of PyZMQ's sdist (PYZMQ_SOURCE, set by
ci/conformance/run.py) without importing them: each module's public names
are its ``__all__`` (literal lists, ``+``, ``.extend``/``.append``, and
``__all__`` lists of modules it names), else its top-level public
definitions. Each module must import from the installed distributions and
have every one of those names.
"""

import ast
import importlib
import os

import pytest

SOURCE = os.environ.get("PYZMQ_SOURCE", "")
# not part of the API this project reproduces
SKIPPED_PACKAGES = (
    "zmq.backend.cffi",  # PyZMQ's CFFI backend (zmq-core has only the Cython one)
    "zmq.tests",  # PyZMQ's internal test helpers
)
pytestmark = pytest.mark.skipif(not SOURCE, reason="needs PYZMQ_SOURCE (run ci/conformance/run.py)")


def _all_module_files():
    root = os.path.join(SOURCE, "zmq")
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, SOURCE)[:-3].replace(os.sep, ".")
                yield (rel[: -len(".__init__")] if rel.endswith(".__init__") else rel), path


def _public_modules():
    for module, _ in _all_module_files():
        if module.startswith(SKIPPED_PACKAGES) or module.split(".")[-1].startswith("_"):
            continue
        yield module


def _parse(module):
    for name, path in _all_module_files():
        if name == module:
            with open(path) as f:
                return ast.parse(f.read())
    return None


def _resolve_module(tree, module, alias):
    """The dotted module that name *alias* refers to in *module*'s source."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                is_package = _is_package(module)
                keep = len(parts) - node.level + (1 if is_package else 0)
                base = ".".join(parts[:keep] + ([base] if base else []))
            for a in node.names:
                if (a.asname or a.name) == alias:
                    return f"{base}.{a.name}" if _parse(f"{base}.{a.name}") else None
        elif isinstance(node, ast.Import):
            for a in node.names:
                if (a.asname or a.name) == alias:
                    return a.name
    return None


def _is_package(module):
    return any(p.endswith("__init__.py") for m, p in _all_module_files() if m == module)


def _names_of(value, tree, module, seen):
    """Names in an expression that builds __all__."""
    if isinstance(value, (ast.List, ast.Tuple)):
        return [e.value for e in value.elts if isinstance(e, ast.Constant)]
    if isinstance(value, ast.BinOp):
        return (_names_of(value.left, tree, module, seen)
                + _names_of(value.right, tree, module, seen))
    if isinstance(value, ast.Attribute) and value.attr == "__all__" \
            and isinstance(value.value, ast.Name):
        other = _resolve_module(tree, module, value.value.id)
        return list(public_names(other, seen)) if other else []
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "list":
        return _names_of(value.args[0], tree, module, seen) if value.args else []
    return []


def public_names(module, seen=None):
    """PyZMQ's public names of *module*, read from its source."""
    seen = set() if seen is None else seen
    if module in seen:
        return set()
    seen.add(module)
    tree = _parse(module)
    if tree is None:
        return set()
    names, has_all = set(), False
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                has_all = True
                names.update(_names_of(node.value, tree, module, seen))
        elif isinstance(node, ast.AugAssign) and getattr(node.target, "id", None) == "__all__":
            names.update(_names_of(node.value, tree, module, seen))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and getattr(node.func.value, "id", None) == "__all__":
            if node.func.attr == "append" and isinstance(node.args[0], ast.Constant):
                names.add(node.args[0].value)
            elif node.func.attr == "extend":
                names.update(_names_of(node.args[0], tree, module, seen))
        elif isinstance(node, ast.For) and isinstance(node.iter, (ast.Tuple, ast.List)):
            # for submod in (a, b, c): __all__.extend(submod.__all__)
            body = ast.dump(ast.Module(body=node.body, type_ignores=[]))
            if "__all__" in body:
                for element in node.iter.elts:
                    if isinstance(element, ast.Name):
                        other = _resolve_module(tree, module, element.id)
                        if other:
                            names.update(public_names(other, seen))
    if has_all:
        return names
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return {n for n in names if not n.startswith("_")}


MODULES = sorted(_public_modules()) if SOURCE else []


@pytest.mark.parametrize("module", MODULES)
def test_module_has_pyzmq_names(module):
    if module.startswith("zmq.green"):
        pytest.importorskip("gevent")
    if module.startswith(("zmq.eventloop", "zmq.green.eventloop", "zmq.auth.ioloop")):
        pytest.importorskip("tornado")
    ours = importlib.import_module(module)
    missing = sorted(n for n in public_names(module) if not hasattr(ours, n))
    assert not missing, f"{module} lacks PyZMQ's {missing}"


def test_walk_finds_the_api():
    # guards the walker itself: a parser that found nothing would pass everything
    assert {"zmq", "zmq.sugar.socket", "zmq.utils.z85", "zmq.asyncio"} <= set(MODULES)
    expected = {"Socket", "Context", "Poller", "RCVTIMEO", "ZMQError", "DRAFT_API"}
    assert expected <= public_names("zmq")
    assert {"Socket", "SyncSocket"} <= public_names("zmq.sugar.socket")
