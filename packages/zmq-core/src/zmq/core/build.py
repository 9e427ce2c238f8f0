# SPDX-License-Identifier: BSD-3-Clause
"""Building Cython extensions that cimport zmq-core, the way zmq-core builds
its own: the compile and link options of the libzmq this zmq-core uses, and
the Cython directives.

A package lists ``zmq-core`` and ``Cython`` in its build requirements and,
in its ``build_ext``, imports this module only when compiling (so making an
sdist needs neither)::

    from setuptools.command.build_ext import build_ext

    class build_ext_against_zmq_core(build_ext):
        def run(self):
            from zmq.core.build import prepare_extensions

            prepare_extensions(self)
            super().run()

prepare_extensions() runs extension_options() and cythonize_prepared(); a
build with needs of its own calls them itself.

zmq-core's own setup.py loads this file by path (it imports nothing from
``zmq`` at module level), so both builds share these conventions.
"""

import os
from typing import Any

# the directives every zmq-core and zmq-devices extension is compiled with
CYTHON_DIRECTIVES = {
    "language_level": "3",
    "embedsignature": True,
    # signatures in Python syntax, which Sphinx can parse
    "embedsignature.format": "python",
}

# C macros every such extension is compiled with. Without C line numbers in
# tracebacks, an exception passing through Cython code skips a look-up of
# cython_runtime.cline_in_traceback per function it leaves (zmq.Again from
# a non-blocking recv passes through several)
CYTHON_MACROS = [("CYTHON_CLINE_IN_TRACEBACK", "0")]

# folders the dynamic loader searches anyway: recording them as an rpath
# would only pin the extension to this machine's layout
SYSTEM_LIBRARY_DIRS = frozenset({
    "/usr/lib", "/usr/lib64", "/lib", "/lib64",
    "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
})


def rpath(library_dirs: list[str]) -> list[str]:
    """The library folders to record in an extension (its rpath): those
    the dynamic loader would not search by itself."""
    return [d for d in library_dirs if os.path.normpath(d) not in SYSTEM_LIBRARY_DIRS]


def extension_options() -> dict[str, list[str]]:
    """Options for a setuptools Extension that cimports zmq-core: the
    ``include_dirs`` of zmq's .pxd files and libzmq's headers, the
    ``library_dirs`` and ``runtime_library_dirs`` (rpath) of the libzmq this
    zmq-core uses, and ``libraries``."""
    import zmq

    library_dirs = zmq.get_library_dirs()
    return {
        "include_dirs": zmq.get_includes(),
        "library_dirs": library_dirs,
        "runtime_library_dirs": rpath(library_dirs),
        "libraries": ["zmq"],
    }


def cythonize_prepared(
    extensions: list[Any], build_temp: str, include_path: list[str] | None = None
) -> None:
    """Run Cython on Extensions that setuptools has already prepared (those
    of a build_ext command), with CYTHON_DIRECTIVES, and give them the
    generated C as sources. The C goes to ``build_temp/cython``, never next
    to the .pyx files."""
    from Cython.Build import cythonize

    options: dict[str, Any] = {} if include_path is None else {"include_path": include_path}
    generated = cythonize(
        extensions,
        build_dir=os.path.join(build_temp, "cython"),
        compiler_directives=CYTHON_DIRECTIVES,
        **options,
    )
    sources = {ext.name: ext.sources for ext in generated}
    for ext in extensions:
        ext.sources = sources[ext.name]
        ext.define_macros += [m for m in CYTHON_MACROS if m not in ext.define_macros]


def prepare_extensions(command: Any) -> None:
    """In a setuptools ``build_ext`` command's ``run()``, before the build
    itself: give each of its Extensions extension_options(), then Cython's
    C sources (cythonize_prepared)."""
    options = extension_options()
    for ext in command.extensions:
        for key, values in options.items():
            getattr(ext, key).extend(v for v in values if v not in getattr(ext, key))
    cythonize_prepared(command.extensions, command.build_temp)
