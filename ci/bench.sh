#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's benchmark command: provision libzmq (the draft build carries
# libzmq's C perf tools), build the wheels, then run bench/ through tox.
# Extra arguments go to bench/run.py (e.g. --scale 0.3 --repeat 3).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$REPO/ci/provision-libzmq.sh" all
ensure_tools_venv
bash "$REPO/ci/build-wheels.sh" system draft
cd "$REPO"
exec "$TOOLS_VENV/bin/tox" run -e bench -- "$@"
