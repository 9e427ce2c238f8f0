# SPDX-License-Identifier: BSD-3-Clause
"""Which wheels a set of tox environments installs, so that ci/test.sh
builds those and no others.

Reads ``tox config -e ENVS -k set_env`` on stdin and prints one line per
libzmq variant needed: the variant, then the distributions (zmq-core first),
or ``all``. What an environment installs is read from its own settings, the
ones its commands use:

- ZMQ_WHEELHOUSE under the repository's .wheelhouse/ names the variant
  (``.wheelhouse/draft``, ``.wheelhouse/draft-py312``); an environment
  without one (lint, sdist), or with a folder of its own (cython-oldest),
  needs no wheel;
- ZMQ_WHEELS names the wheels an environment installs (say lint's
  ``zmq-core zmq-devices`` for stubtest), else ZMQ_DIST and ZMQ_DIST_ALSO
  name what a distribution's environment installs besides zmq-core; an
  environment with a wheelhouse and neither (conformance, programs, docs,
  bench) installs every wheel.

usage: tox config -e ENVS -k set_env | python ci/wheels_needed.py REPO
"""

import re
import sys
from pathlib import Path


def environments(text):
    """{env name: {variable: value}} from tox config's output."""
    envs, current = {}, None
    for line in text.splitlines():
        header = re.match(r"\[testenv:(.+)\]$", line.strip())
        if header:
            current = envs.setdefault(header.group(1), {})
            continue
        variable = re.match(r"\s+(\w+)=(.*)$", line)
        if variable and current is not None:
            current[variable.group(1)] = variable.group(2).strip()
    return envs


def needed(envs, wheelhouse):
    """{variant: set of distribution names, or None for all of them}."""
    wheelhouse = Path(wheelhouse).resolve()
    result = {}
    for settings in envs.values():
        folder = settings.get("ZMQ_WHEELHOUSE")
        if not folder or Path(folder).resolve().parent != wheelhouse:
            continue
        variant = re.sub(r"-py3\d+t?$", "", Path(folder).name)
        if "ZMQ_WHEELS" in settings:
            names = {"zmq-core", *settings["ZMQ_WHEELS"].split()}
        elif "ZMQ_DIST" in settings:
            names = {"zmq-core", settings["ZMQ_DIST"], *settings.get("ZMQ_DIST_ALSO", "").split()}
        else:
            names = None
        if names is None:
            result[variant] = None
        elif variant not in result or result[variant] is not None:
            result[variant] = result.get(variant, set()) | names
    return result


def render(result):
    lines = []
    # system first, as ci/build-wheels.sh builds them by default
    for variant in sorted(result, key=lambda v: (v != "system", v)):
        names = result[variant]
        if names is None:
            lines.append(f"{variant} all")
        else:
            # zmq-core first: zmq-devices builds against it
            lines.append(" ".join([variant, *sorted(names, key=lambda n: (n != "zmq-core", n))]))
    return "\n".join(lines)


def main(argv, stdin):
    if len(argv) != 1:
        raise SystemExit(__doc__)
    out = render(needed(environments(stdin.read()), Path(argv[0]) / ".wheelhouse"))
    if out:
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], sys.stdin))
