# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the ci/ scripts: repository paths and the project's tools venv.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_VENV="$REPO/.venv-tools"
WHEELHOUSE="$REPO/.wheelhouse"
DRAFT_PREFIX="$REPO/.libzmq/draft"
# the libzmq the release wheels bundle (ci/provision-libzmq.sh release)
RELEASE_PREFIX="$REPO/.libzmq/release"
# the interpreter the wheels are built for and every venv is made from
PYTHON="${PYTHON:-python3}"
# the build tools (setuptools, Cython) every wheel build installs from, with
# --no-index: no index can substitute one of this project's distributions
BUILD_TOOLS="$WHEELHOUSE/.build-tools"

log() { echo "[$(basename "$0" .sh)] $*"; }

# The CPythons 3.10-3.13 the matrix and the release cover. Under pyenv only
# the selected version's shims work, so each version's own bin folder goes at
# the end of PATH: tox's py310...py313 environments find it there, and
# `python3` stays the machine's default.
for _bin in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[0-3].*/bin; do
    [ -d "$_bin" ] && PATH="$PATH:$_bin"
done
# CPython 3.14, 3.14t (and 3.13t), built by ci/provision-python.sh into a cache
# outside the clone (reused by every clone and later runs)
CPYTHON_CACHE="${ZMQ_STACK_CACHE:-$HOME/.cache/zmq-stack}/cpython"
for _bin in "$CPYTHON_CACHE"/3.1[3-9].*/bin; do
    [ -f "$_bin/../.provisioned" ] && PATH="$PATH:$_bin"
done
export PATH

# the interpreter for a version like 3.12 (a pyenv shim that fails is skipped)
python_for() {
    local v="$1" p
    for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$v".*/bin/"python$v" "python$v"; do
        if "$p" -c pass >/dev/null 2>&1; then command -v "$p"; return; fi
    done
    log "no python$v found (PATH or pyenv)"
    return 1
}

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

# download the build tools for each CPython given (ci/build_tools.py)
fetch_build_tools() {
    local py
    for py in "$@"; do
        "$PYTHON" "$REPO/ci/build_tools.py" "$BUILD_TOOLS" "$py" \
            || { log "cannot download the build tools into $BUILD_TOOLS"; return 1; }
    done
}
