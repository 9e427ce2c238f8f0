# SPDX-License-Identifier: BSD-3-Clause
"""Make the CPython running this script build extensions for a release
target: write a sysconfig data module that names zig's compiler for the
target (ci/provision-libzmq.sh release writes the wrappers) and the target's
extension suffix, and print the environment that selects it.

    eval "$(python target_config.py TARGET TOOLCHAIN_BIN FOLDER)"

then `python -m pip wheel --no-build-isolation ...` builds for TARGET:

- ``_PYTHON_SYSCONFIGDATA_NAME`` (with FOLDER on ``PYTHONPATH``) replaces
  this CPython's build variables (CPython's own hook for cross builds): CC,
  LDSHARED and AR are zig's for the target, EXT_SUFFIX and SOABI name the
  target's platform (``.cpython-312-aarch64-linux-gnu.so``), no link flags
  point into this machine's CPython, and libpython is never linked
  (Py_ENABLE_SHARED 0: setuptools links it in cross builds of a shared
  CPython);
- ``_PYTHON_HOST_PLATFORM`` (``linux-aarch64``) gives the wheel its
  platform tag; auditwheel then gives the manylinux/musllinux one.

The C headers stay this CPython's (x86-64 glibc). Of what its pyconfig.h
says, what differs for aarch64 or musl (x87/x64 inline assembly, whether
wchar_t is usable, libc functions CPython itself uses) only changes
CPython's own code, not the API an extension compiles against.

usage: target_config.py TARGET TOOLCHAIN_BIN FOLDER
"""

import os
import pprint
import sys
import sysconfig

TARGETS = {
    # zig target: (platform for the wheel tag, the target's multiarch name)
    "x86_64-linux-gnu.2.17": ("linux-x86_64", "x86_64-linux-gnu"),
    "aarch64-linux-gnu.2.17": ("linux-aarch64", "aarch64-linux-gnu"),
    "x86_64-linux-musl": ("linux-x86_64", "x86_64-linux-musl"),
}
MODULE = "_sysconfigdata_zmq_release"


def target_variables(variables, target, toolchain_bin):
    platform, multiarch = TARGETS[target]
    if multiarch.endswith("-musl") and sys.version_info < (3, 11):
        # CPython before 3.11 names its musl builds' extensions -linux-gnu
        # too (bpo-43112): that is the suffix a musl CPython 3.10 imports
        multiarch = multiarch[: -len("musl")] + "gnu"
    soabi = variables["SOABI"]
    host = variables.get("MULTIARCH") or soabi.split("-", 2)[2]
    if not soabi.endswith("-" + host):
        raise SystemExit(f"cannot tell the platform part of SOABI {soabi!r}")
    soabi = soabi[: -len(host)] + multiarch
    tool = os.path.join(toolchain_bin, target)
    new = dict(variables)
    new.update(
        SOABI=soabi,
        EXT_SUFFIX=f".{soabi}.so",
        MULTIARCH=multiarch,
        HOST_GNU_TYPE=multiarch,
        MACHDEP="linux",
        CC=f"{tool}-cc",
        CXX=f"{tool}-c++",
        LDSHARED=f"{tool}-cc -shared",
        BLDSHARED=f"{tool}-cc -shared",
        LDCXXSHARED=f"{tool}-c++ -shared",
        AR=f"{tool}-ar",
        LDFLAGS="",
        CONFIGURE_LDFLAGS="",
        PY_LDFLAGS="",
        Py_ENABLE_SHARED=0,
    )
    return platform, new


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    target, toolchain_bin, folder = argv
    if target not in TARGETS:
        raise SystemExit(f"unknown target {target!r}: one of {', '.join(TARGETS)}")
    # this CPython's own build variables, as its sysconfig module loads them
    own = __import__(sysconfig._get_sysconfigdata_name()).build_time_vars
    platform, variables = target_variables(own, target, os.path.abspath(toolchain_bin))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, MODULE + ".py"), "w") as f:
        f.write(f"# {target}: written by ci/release/target_config.py\n")
        f.write("build_time_vars = " + pprint.pformat(variables) + "\n")
    print(f"export PYTHONPATH='{os.path.abspath(folder)}'")
    print(f"export _PYTHON_SYSCONFIGDATA_NAME={MODULE}")
    print(f"export _PYTHON_HOST_PLATFORM={platform}")


if __name__ == "__main__":
    main(sys.argv[1:])
