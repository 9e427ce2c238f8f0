#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's main-job command: install the system libzmq, build the
# distributions against it, install them into .venv-tour and run the tour.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$REPO/ci/provision-libzmq.sh" system
ensure_tools_venv
bash "$REPO/ci/build-wheels.sh" system >/dev/null

TOUR_VENV="$REPO/.venv-tour"
[ -x "$TOUR_VENV/bin/python" ] || "$PYTHON" -m venv "$TOUR_VENV"
# install every distribution that was built, from the local wheelhouse only
mapfile -t wheels < <(ls "$WHEELHOUSE/system"/*.whl)
"$TOUR_VENV/bin/python" -m pip install -q --force-reinstall --no-deps "${wheels[@]}"
"$TOUR_VENV/bin/python" -m pip install -q --find-links "$WHEELHOUSE/system" "${wheels[@]}" numpy
cd "$REPO"
exec "$TOUR_VENV/bin/python" examples/tour.py
