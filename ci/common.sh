# SPDX-License-Identifier: BSD-3-Clause
# Shared by the ci/ scripts: repository paths and the project's tool venv.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_VENV="$REPO/.venv-tools"
WHEELHOUSE="$REPO/.wheelhouse"
DRAFT_PREFIX="$REPO/.libzmq/draft"
PYTHON="${PYTHON:-python3}"

log() { echo "[$(basename "$0")] $*"; }

# A venv of our own for build and test tools, so nothing is installed into
# the machine's Python. Reused while it exists.
ensure_tools_venv() {
    if [ ! -x "$TOOLS_VENV/bin/tox" ]; then
        log "creating $TOOLS_VENV with tox and the build tools"
        "$PYTHON" -m venv "$TOOLS_VENV"
        "$TOOLS_VENV/bin/python" -m pip install -q --upgrade pip
        "$TOOLS_VENV/bin/python" -m pip install -q "tox>=4" build wheel "setuptools>=64" "Cython>=3.0.8"
    fi
}
