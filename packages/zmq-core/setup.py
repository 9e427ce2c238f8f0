# SPDX-License-Identifier: BSD-3-Clause
"""Build of zmq-core's Cython extensions against libzmq.

libzmq is found through ZMQ_PREFIX (a prefix holding include/ and lib/),
else pkg-config, else /usr. Its library folder is recorded in each extension
(rpath), so nothing needs LD_LIBRARY_PATH at run time, and in
zmq/core/_build_info.py for zmq.get_includes()/get_library_dirs(). A libzmq
whose pkg-config flags define ZMQ_BUILD_DRAFT_API gets the draft API.
"""

import os
import shlex
import subprocess

from Cython.Build import cythonize
from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
CORE = os.path.join("src", "zmq", "core")
MODULES = ["message", "context", "socket", "poll", "proxy", "utils"]
SYSTEM_LIB_DIRS = {"/usr/lib", "/usr/lib64", "/lib", "/usr/lib/x86_64-linux-gnu",
                   "/usr/lib/aarch64-linux-gnu"}


def _pkg_config(args, env=None):
    try:
        out = subprocess.run(["pkg-config", *args, "libzmq"], check=True,
                             capture_output=True, text=True, env=env).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.strip()


def find_libzmq():
    """Return (include_dirs, library_dirs, macros) for the libzmq to use."""
    prefix = os.environ.get("ZMQ_PREFIX")
    env = None
    if prefix:
        prefix = os.path.abspath(prefix)
        pc_dirs = [os.path.join(prefix, d, "pkgconfig") for d in ("lib", "lib64")]
        pc_dirs = [d for d in pc_dirs if os.path.exists(os.path.join(d, "libzmq.pc"))]
        if pc_dirs:
            # searched before the system's; the system's still resolve the
            # private requirements (libsodium...)
            env = dict(os.environ)
            env["PKG_CONFIG_PATH"] = os.pathsep.join(pc_dirs)
    # the .pc variables name the folders even where --cflags/--libs leave
    # out system defaults; --cflags is read only for -D (the draft API)
    use_pc = env is not None or not prefix
    include_dir = use_pc and _pkg_config(["--variable=includedir"], env)
    lib_dir = use_pc and _pkg_config(["--variable=libdir"], env)
    cflags = shlex.split((use_pc and _pkg_config(["--cflags"], env)) or "")
    if not include_dir or not lib_dir:
        base = prefix or "/usr"
        include_dir = os.path.join(base, "include")
        lib_dir = os.path.join(base, "lib")
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


def write_build_info(include_dirs, library_dirs, macros):
    path = os.path.join(HERE, CORE, "_build_info.py")
    draft = any(m[0] == "ZMQ_BUILD_DRAFT_API" for m in macros)
    with open(path, "w") as f:
        f.write("# Written by setup.py at build time: the libzmq this build uses.\n")
        f.write(f"LIBZMQ_INCLUDE_DIRS = {include_dirs!r}\n")
        f.write(f"LIBZMQ_LIBRARY_DIRS = {library_dirs!r}\n")
        f.write(f"BUILT_WITH_DRAFT_HEADERS = {draft!r}\n")


include_dirs, library_dirs, macros = find_libzmq()
write_build_info(include_dirs, library_dirs, macros)
rpath = [d for d in library_dirs if d not in SYSTEM_LIB_DIRS]

extensions = [
    Extension(
        f"zmq.core.{name}",
        [os.path.join(CORE, f"{name}.pyx")],
        include_dirs=[CORE, *include_dirs],
        library_dirs=library_dirs,
        runtime_library_dirs=rpath,
        libraries=["zmq"],
        define_macros=macros,
        # a change to the header or any .pxd must rebuild the extension
        depends=[os.path.join(CORE, "zmq_compat.h"),
                 os.path.join(CORE, "zero_copy_release.h")]
        + [os.path.join(CORE, f) for f in os.listdir(os.path.join(HERE, CORE))
           if f.endswith(".pxd")],
    )
    for name in MODULES
]

setup(
    ext_modules=cythonize(
        extensions,
        include_path=["src"],
        compiler_directives={
            "language_level": "3",
            "embedsignature": True,
            # signatures in Python syntax, which Sphinx can parse
            "embedsignature.format": "python",
        },
    ),
)
