# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the ci/ scripts: repository paths and the project's tools venv.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_VENV="$REPO/.venv-tools"
WHEELHOUSE="$REPO/.wheelhouse"
DRAFT_PREFIX="$REPO/.libzmq/draft"
# the interpreter the wheels are built for and every venv is made from
PYTHON="${PYTHON:-python3}"

log() { echo "[$(basename "$0" .sh)] $*"; }

# tox and pip's wheel builds run from a venv of our own, so nothing is
# installed into the machine's Python. Reused while it has tox; a venv left
# half-made by an interrupted run lacks it and is made again.
ensure_tools_venv() {
    if [ ! -x "$TOOLS_VENV/bin/tox" ]; then
        log "creating $TOOLS_VENV with tox"
        "$PYTHON" -m venv --clear "$TOOLS_VENV"
        "$TOOLS_VENV/bin/python" -m pip install -q --upgrade pip
        "$TOOLS_VENV/bin/python" -m pip install -q "tox>=4"
    fi
}
