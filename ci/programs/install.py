# SPDX-License-Identifier: BSD-3-Clause
"""Install the stack and the third-party programs the ``programs-*`` tox
environments run, the way the documentation tells users to (see
docs/install-with-pyzmq-dependents.rst): never PyZMQ.

1. every wheel of the variant's wheelhouse (all this project's distributions);
2. jupyter_client, ipykernel, ipyparallel and locust, which declare
   ``pyzmq``, each with its own dependencies (locust brings gevent), with the
   recipe named by INSTALLER: ``pip`` (zmq-pip-without-pyzmq, which
   zmq-core ships) or ``uv`` (``uv pip install --override`` with
   no-pyzmq-overrides.txt beside this file).

usage: python install.py WHEELHOUSE {pip|uv}
"""

import glob
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = ["jupyter_client", "ipykernel", "ipyparallel", "locust"]
OVERRIDES = os.path.join(HERE, "no-pyzmq-overrides.txt")


def run(*cmd):
    print("programs:", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, timeout=600)


def install_wheels(wheelhouse):
    wheels = sorted(glob.glob(os.path.join(wheelhouse, "*.whl")))
    if not wheels:
        sys.exit(f"programs: no wheels in {wheelhouse}; run ci/build-wheels.sh first")
    run(sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", *wheels)


def install_programs(installer):
    if installer == "pip":
        # the console script zmq-core installs beside this interpreter
        script = os.path.join(os.path.dirname(sys.executable), "zmq-pip-without-pyzmq")
        run(script, "-q", *PROGRAMS)
    elif installer == "uv":
        uv = shutil.which("uv", path=os.path.dirname(sys.executable)) or "uv"
        run(uv, "pip", "install", "-q", "--python", sys.executable, "--override", OVERRIDES,
            *PROGRAMS)
    else:
        sys.exit(f"programs: installer must be pip or uv, not {installer!r}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    wheelhouse, installer = sys.argv[1:]
    install_wheels(wheelhouse)
    install_programs(installer)


if __name__ == "__main__":
    main()
