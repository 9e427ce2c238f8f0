# SPDX-License-Identifier: BSD-3-Clause
"""Import zmq's compiled modules from one libzmq variant's build folders.

ci/dev.sh copies this file into a dev venv's site-packages as
``_zmq_dev_builds.py`` and names it in a ``.pth`` line with that variant's
build folders (``.dev/<variant>/zmq-core/lib``, ``.../zmq-devices/lib``).
Everything else of ``zmq`` is imported from the distributions' ``src/``
folders (editable installs), so one checkout serves a system and a draft
venv at once without one build overwriting the other's ``.so`` files.

Only the names found in those folders are answered: each extension module
and each ``_build_info`` module (the libzmq the build used, which zmq-core's
setup.py writes into the build folder, never into src/). The finder goes
first on ``sys.meta_path``, so a stray in-place ``.so`` under ``src/`` can
never be imported instead. The folders are
listed at interpreter start: a newly built extension is seen by the next
process.

A second finder joins the packages several distributions share (``zmq``
itself, ``zmq.utils``): zmq-core's ``src/`` holds their ``__init__.py``, the
other distributions' ``src/`` folders add modules beside it. Installed from
wheels they all share one folder, so this is the checkout's business alone:
``zmq/__init__.py`` does no such scan.
"""

import importlib.machinery
import importlib.util
import os
import sys

# besides the extensions: written by the build, absent from src/
BUILD_INFO = "_build_info.py"


def scan(folders):
    """{module name: file} for the extension modules (and the build info)
    under each folder; the first folder naming a module wins."""
    found = {}
    for folder in folders:
        for parent, _, files in os.walk(folder):
            rel = os.path.relpath(parent, folder)
            package = [] if rel == "." else rel.split(os.sep)
            for name in files:
                stem = None
                for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                    if name.endswith(suffix):
                        stem = name[: -len(suffix)]
                        break
                if stem is None and name == BUILD_INFO:
                    stem = name[: -len(".py")]
                if stem is not None:
                    found.setdefault(".".join([*package, stem]), os.path.join(parent, name))
    return found


class VariantBuilds:
    """A meta path finder for the modules ``scan()`` found."""

    def __init__(self, modules):
        self.modules = modules

    def find_spec(self, fullname, path=None, target=None):
        location = self.modules.get(fullname)
        if location is None:
            return None
        return importlib.util.spec_from_file_location(fullname, location)


class SplitPackages:
    """A meta path finder for the packages of *top* (``zmq``) whose folder
    is found in more than one place on the search path (sys.path, or the
    parent package's ``__path__``): the first with an ``__init__.py`` is the
    package, and its spec names it and every such folder without one, so
    each distribution's modules are found (what pkgutil.extend_path did).
    A later folder with an ``__init__.py`` of its own (an installed copy) is
    shadowed, as it would be without this finder."""

    def __init__(self, top="zmq"):
        self.top = top

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.top and not fullname.startswith(self.top + "."):
            return None
        tail = fullname.rpartition(".")[2]
        folders = []
        for entry in sys.path if path is None else path:
            if isinstance(entry, str):
                folder = os.path.abspath(os.path.join(entry, tail))
                if os.path.isdir(folder) and folder not in folders:
                    folders.append(folder)
        if len(folders) < 2:
            return None
        with_init = [f for f in folders if os.path.isfile(os.path.join(f, "__init__.py"))]
        added = [f for f in folders if f not in with_init]
        if not with_init or not added:
            return None
        return importlib.util.spec_from_file_location(
            fullname, os.path.join(with_init[0], "__init__.py"),
            submodule_search_locations=[with_init[0], *added])


def install(folders):
    """Put a finder for *folders*' modules first on sys.meta_path, and the
    finder of split packages right after it (once)."""
    if not any(isinstance(f, VariantBuilds) for f in sys.meta_path):
        sys.meta_path.insert(0, VariantBuilds(scan(folders)))
    if not any(isinstance(f, SplitPackages) for f in sys.meta_path):
        sys.meta_path.insert(1, SplitPackages())
