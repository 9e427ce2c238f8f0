#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's benchmark command: provision libzmq (the draft build carries
# libzmq's C perf tools), build the wheels, then run bench/ through tox.
# Extra arguments go to bench/run.py (e.g. --scale 0.3 --repeat 3).
#
# Every Python column runs on one CPython, BENCH_PYTHON (default 3.12: pyomq
# ships wheels for 3.12 and later only): this project's draft wheels are
# built for it into .wheelhouse/draft-py312, and bench/run.py makes the
# venvs of this project, PyZMQ and pyomq from it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
BENCH_PYTHON="${BENCH_PYTHON:-3.12}"
bash "$REPO/ci/provision-libzmq.sh" all
ensure_tools_venv
py="$(python_for "$BENCH_PYTHON")"
# the free-threaded rows' CPython: 3.14t, or 3.13t while Debian's mirror
# does not serve python3.14's source (ci/provision-python.sh)
ft=""
for v in 3.14t 3.13t; do
    if python_for "$v" >/dev/null 2>&1 || bash "$REPO/ci/provision-python.sh" "$v" >&2; then
        ft="$v"
        break
    fi
done
for _bin in "$CPYTHON_CACHE"/3.1[3-9].*/bin; do
    [ -f "$_bin/../.provisioned" ] && [[ ":$PATH:" != *":$_bin:"* ]] && PATH="$PATH:$_bin"
done
PYTHONS="$BENCH_PYTHON${ft:+ $ft}" bash "$REPO/ci/build-wheels.sh" draft
ft_args=()
[ -z "$ft" ] || ft_args=(--ft-python "$(python_for "$ft")" --ft-wheelhouse "$WHEELHOUSE/draft-py${ft/./}")
cd "$REPO"
exec "$TOOLS_VENV/bin/tox" run -e bench -- --python "$py" \
    --wheelhouse "$WHEELHOUSE/draft-py${BENCH_PYTHON/./}" "${ft_args[@]}" "$@"
