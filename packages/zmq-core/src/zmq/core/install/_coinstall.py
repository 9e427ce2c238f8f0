# SPDX-License-Identifier: BSD-3-Clause
"""Notice a PyZMQ distribution installed beside zmq-core.

PyZMQ and zmq-core both ship the ``zmq`` package. Installed into the same
folder, the one installed last silently replaced the other's files, and
uninstalling either removes files the other needs. This usually happens when
a package that declares ``pyzmq`` (jupyter_client, ipykernel, ipyparallel)
is installed with plain ``pip install``.

The check runs when ``zmq.core`` is first imported: during ``import zmq``
when zmq-core's ``zmq/__init__.py`` is in place, and when one of this
project's other distributions imports ``zmq.core`` after PyZMQ's
``__init__.py`` replaced ours (PyZMQ's own files never import it).

It costs one directory listing of the folder holding ``zmq`` (under a ms),
not ``importlib.metadata``, whose import alone would double ``import zmq``'s
time; PyZMQ installed in another folder of sys.path does not overwrite our
files and is not reported.
"""

import os

__all__ = ["PyZMQInstalledWarning", "find_pyzmq", "warn_if_pyzmq_installed"]

# the page of the documentation that gives the recipe
DOCS_PAGE = "install-with-pyzmq-dependents"


class PyZMQInstalledWarning(UserWarning):
    """PyZMQ is installed in the same folder as zmq-core: the two overwrite
    each other's ``zmq`` package."""


_METADATA_SUFFIXES = (".dist-info", ".egg-info", ".DIST-INFO", ".EGG-INFO")


def _dist_name(entry: str) -> str | None:
    """The normalised project name of a ``*.dist-info``/``*.egg-info``
    folder name, or None for anything else."""
    lowered = entry.lower()
    for suffix in (".dist-info", ".egg-info"):
        if lowered.endswith(suffix):
            # name-version.dist-info, or name.egg-info for a develop install
            return lowered[: -len(suffix)].split("-", 1)[0].replace(".", "_")
    return None


def find_pyzmq(site_dir: str) -> tuple[str | None, list[str]]:
    """The PyZMQ metadata folder in ``site_dir`` (e.g.
    ``pyzmq-27.2.0.dist-info``) and the names of this project's distributions
    installed there, as ``(entry or None, [zmq-core, ...])``."""
    try:
        entries = os.listdir(site_dir)
    except OSError:
        return None, []
    pyzmq = None
    ours = []
    for entry in entries:
        # most entries are packages and modules: skip them at C speed
        if not entry.endswith(_METADATA_SUFFIXES):
            continue
        name = _dist_name(entry)
        if name == "pyzmq":
            pyzmq = entry
        elif name is not None and name.startswith("zmq_"):
            ours.append(name.replace("_", "-"))
    return pyzmq, sorted(ours)


def warn_if_pyzmq_installed() -> None:
    """Warn (PyZMQInstalledWarning, one line) when PyZMQ's metadata sits
    beside the ``zmq`` package in use, naming the commands that repair it."""
    # this file is zmq/core/install/_coinstall.py
    zmq_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    site_dir = os.path.dirname(zmq_dir)
    pyzmq, ours = find_pyzmq(site_dir)
    if pyzmq is None:
        return
    # imported only to warn: `import zmq` does not need it otherwise
    import warnings

    reinstall = " ".join(ours or ["zmq-core"])
    warnings.warn(
        f"PyZMQ ({pyzmq}) is installed in {site_dir} beside zmq-core, and both"
        f" write the zmq package there: the one installed last replaced the"
        f" other's files. Repair: pip uninstall -y pyzmq && pip install"
        f" --force-reinstall --no-deps {reinstall}; then install packages that"
        f" require pyzmq with zmq-pip-without-pyzmq (docs: {DOCS_PAGE})",
        PyZMQInstalledWarning,
        stacklevel=2,
    )
