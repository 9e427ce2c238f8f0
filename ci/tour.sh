#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's main-job command: install Debian's libzmq, build every
# distribution against it, install them into .venv-tour and run the tour.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$REPO/ci/provision-libzmq.sh" system
ensure_tools_venv
bash "$REPO/ci/build-wheels.sh" system

TOUR_VENV="$REPO/.venv-tour"
[ -x "$TOUR_VENV/bin/python" ] || "$PYTHON" -m venv "$TOUR_VENV"
# this project's distributions come from the local wheelhouse only (and are
# reinstalled: their version does not change from one build to the next)
mapfile -t wheels < <(ls "$WHEELHOUSE/system"/*.whl)
"$TOUR_VENV/bin/python" -m pip install -q --no-index --no-deps --force-reinstall "${wheels[@]}"
# their third-party dependencies (tornado...) from PyPI, and numpy: the tour
# shows zero-copy and serialised arrays
"$TOUR_VENV/bin/python" -m pip install -q --find-links "$WHEELHOUSE/system" "${wheels[@]}" numpy
cd "$REPO"
exec "$TOUR_VENV/bin/python" examples/tour.py
