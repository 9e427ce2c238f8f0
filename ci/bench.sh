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
PYTHONS="$BENCH_PYTHON" bash "$REPO/ci/build-wheels.sh" draft
cd "$REPO"
exec "$TOOLS_VENV/bin/tox" run -e bench -- --python "$py" \
    --wheelhouse "$WHEELHOUSE/draft-py${BENCH_PYTHON/./}" "$@"
