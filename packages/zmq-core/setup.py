# SPDX-License-Identifier: BSD-3-Clause
"""Build of zmq-core's Cython extensions against libzmq.

libzmq is found through ZMQ_PREFIX (a prefix holding include/zmq.h and
lib/libzmq.so), else pkg-config, else /usr; a prefix without libzmq, or no
zmq.h anywhere, stops the build with one line saying what to do. The search
runs only when extensions are compiled, so making an sdist needs no libzmq.

The library folder is recorded in each extension (rpath, unless the dynamic
loader searches it anyway), so nothing needs LD_LIBRARY_PATH at run time,
and in zmq/core/_build_info.py (written into the build folder, never the
source tree) for zmq.get_includes() and zmq.get_library_dirs(). A libzmq
whose pkg-config flags define ZMQ_BUILD_DRAFT_API gets the draft API.

The rpath filter and the Cython directives live in zmq/core/build.py, which
packages that cimport zmq-core (zmq-devices) use from the installed zmq-core.

ZMQ_BUNDLE_LIBZMQ=1 builds for a wheel that will carry libzmq itself
(ci/release.sh repairs it with auditwheel): no rpath to the build machine,
libzmq's headers are shipped in zmq/core/include, and get_includes() and
get_library_dirs() name folders inside the installed wheel.
"""

import functools
import glob
import importlib.util
import os
import shlex
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
CORE = os.path.join("src", "zmq", "core")
# the C declarations and headers (libzmq.pxd, zmq_compat.h, zero_copy_release.h)
CDECL = os.path.join(CORE, "cdecl")
MODULES = ["_internal", "osthread", "options", "zerocopy", "message", "codecs", "context",
           "socket", "poll", "proxy", "utils"]


def _load_build_conventions():
    # zmq/core/build.py: the rpath filter and Cython directives that
    # packages cimporting zmq-core (zmq-devices) use too; loaded by path,
    # since the zmq package cannot be imported before it is built
    spec = importlib.util.spec_from_file_location(
        "_zmq_core_build", os.path.join(HERE, CORE, "build.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


conventions = _load_build_conventions()
# where a compiler finds headers without -I: a zmq.h here needs no prefix
SYSTEM_INCLUDE_DIRS = ["/usr/include", "/usr/local/include"]
# the libzmq headers a bundled wheel ships for cimporting packages
LIBZMQ_HEADERS = ["zmq.h", "zmq_utils.h"]
MISSING_HEADERS = (
    "zmq-core needs libzmq's headers (zmq.h), which were not found: install them "
    "(Debian/Ubuntu: apt-get install libzmq3-dev; Fedora: dnf install zeromq-devel; "
    "macOS: brew install zeromq) or set ZMQ_PREFIX to the prefix libzmq is installed in"
)


class LibzmqNotFound(SystemExit):
    """Stops the build with one line on stderr (setuptools prints a
    SystemExit's message as it is, with no traceback)."""

    def __init__(self, message):
        super().__init__(f"error: {message}")


def _pkg_config(args, env=None):
    try:
        out = subprocess.run(["pkg-config", *args, "libzmq"], check=True,
                             capture_output=True, text=True, env=env).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.strip()


def _has_library(lib_dir):
    return bool(glob.glob(os.path.join(lib_dir, "libzmq.so*"))
                or glob.glob(os.path.join(lib_dir, "libzmq.*dylib")))


def _from_prefix(prefix):
    """(include_dir, lib_dir, pkg-config env) of the libzmq under *prefix*,
    or a one-line error naming the prefix."""
    include_dir = os.path.join(prefix, "include")
    lib_dirs = [os.path.join(prefix, d) for d in ("lib", "lib64")]
    lib_dirs = [d for d in lib_dirs if _has_library(d)]
    if not os.path.isfile(os.path.join(include_dir, "zmq.h")) or not lib_dirs:
        raise LibzmqNotFound(
            f"ZMQ_PREFIX={prefix} holds no libzmq (needs include/zmq.h and "
            "lib/libzmq.so): point it at the prefix libzmq is installed in, or unset "
            "it to use pkg-config's or the system's libzmq")
    env = None
    pc_dirs = [os.path.join(d, "pkgconfig") for d in lib_dirs]
    pc_dirs = [d for d in pc_dirs if os.path.exists(os.path.join(d, "libzmq.pc"))]
    if pc_dirs:
        # searched before the system's; the system's still resolve the
        # private requirements (libsodium...)
        env = dict(os.environ, PKG_CONFIG_PATH=os.pathsep.join(pc_dirs))
    return include_dir, lib_dirs[0], env


@functools.cache
def find_libzmq():
    """Return (include_dirs, library_dirs, macros) for the libzmq to use."""
    prefix = os.environ.get("ZMQ_PREFIX")
    env = None
    if prefix:
        include_dir, lib_dir, env = _from_prefix(os.path.abspath(prefix))
        use_pc = env is not None
    else:
        use_pc = True
        include_dir = _pkg_config(["--variable=includedir"])
        lib_dir = _pkg_config(["--variable=libdir"])
        if not include_dir or not lib_dir:
            include_dir, lib_dir = "/usr/include", "/usr/lib"
        if not any(os.path.isfile(os.path.join(d, "zmq.h"))
                   for d in [include_dir, *SYSTEM_INCLUDE_DIRS]):
            raise LibzmqNotFound(MISSING_HEADERS)
    # the .pc names the draft API in its Cflags (-DZMQ_BUILD_DRAFT_API=1)
    cflags = shlex.split((use_pc and _pkg_config(["--cflags"], env)) or "")
    macros = []
    for f in cflags:
        if f.startswith("-D"):
            name, _, value = f[2:].partition("=")
            macros.append((name, value or None))
    if os.environ.get("ZMQ_DRAFT_API") == "1" and not any(
        m[0] == "ZMQ_BUILD_DRAFT_API" for m in macros
    ):
        macros.append(("ZMQ_BUILD_DRAFT_API", "1"))
    return [include_dir], [lib_dir], macros


def bundling():
    return os.environ.get("ZMQ_BUNDLE_LIBZMQ") == "1"


class build_py_with_info(build_py):
    """Also writes zmq/core/_build_info.py (and, for a bundling build,
    libzmq's headers) into the build folder: what this build used."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        include_dirs, library_dirs, macros = find_libzmq()
        bundled = bundling()
        core = os.path.join(self.build_lib, "zmq", "core")
        if bundled:
            headers = os.path.join(core, "include")
            os.makedirs(headers, exist_ok=True)
            for name in LIBZMQ_HEADERS:
                for d in [*include_dirs, *SYSTEM_INCLUDE_DIRS]:
                    if os.path.isfile(os.path.join(d, name)):
                        shutil.copy(os.path.join(d, name), headers)
                        break
            # the installed wheel's own folders, found at run time
            include_dirs, library_dirs = [], []
        draft = any(m[0] == "ZMQ_BUILD_DRAFT_API" for m in macros)
        with open(os.path.join(core, "_build_info.py"), "w") as f:
            f.write("# Written by setup.py at build time: the libzmq this build uses.\n")
            f.write(f"LIBZMQ_INCLUDE_DIRS = {include_dirs!r}\n")
            f.write(f"LIBZMQ_LIBRARY_DIRS = {library_dirs!r}\n")
            f.write(f"BUILT_WITH_DRAFT_HEADERS = {draft!r}\n")
            f.write("# libzmq is inside the wheel (zmq/core/include, zmq_core.libs)\n")
            f.write(f"LIBZMQ_BUNDLED = {bundled!r}\n")


class build_ext_with_libzmq(build_ext):
    """Finds libzmq and runs Cython only when extensions are compiled; the
    generated C goes to the build folder, never next to the sources."""

    def run(self):
        include_dirs, library_dirs, macros = find_libzmq()
        rpath = [] if bundling() else conventions.rpath(library_dirs)
        for ext in self.extensions:
            ext.include_dirs += include_dirs
            ext.library_dirs += library_dirs
            ext.runtime_library_dirs += rpath
            ext.define_macros += macros
        conventions.cythonize_prepared(self.extensions, self.build_temp, include_path=["src"])
        super().run()


# a change to a header or any .pxd must rebuild the extensions
DEPENDS = sorted(
    os.path.relpath(os.path.join(folder, f), HERE)
    for folder, _, files in os.walk(os.path.join(HERE, CORE))
    for f in files if f.endswith((".pxd", ".h"))
)

extensions = [
    Extension(
        f"zmq.core.{name}",
        [os.path.join(CORE, f"{name}.pyx")],
        include_dirs=[CDECL],
        libraries=["zmq"],
        depends=DEPENDS,
    )
    for name in MODULES
]

setup(
    ext_modules=extensions,
    cmdclass={"build_py": build_py_with_info, "build_ext": build_ext_with_libzmq},
)
