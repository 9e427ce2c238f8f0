#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The edit-and-test loop: build the extensions of zmq-core, zmq-devices and
# zmq-eventloop for one libzmq variant into that variant's own build folder,
# and run tests against the source tree.
#
#   bash ci/dev.sh [system|draft]                   set up / rebuild what changed
#   bash ci/dev.sh [system|draft] TEST... [PYTEST-ARGS]
#       e.g. bash ci/dev.sh system packages/zmq-core/tests/test_socket.py -k linger
#
# The first run makes .venv-dev-<variant>: the test dependencies of tox.ini's
# [testenv], and every distribution under packages/ installed editable (its
# src/ on sys.path; zmq/__init__.py's extend_path joins them into one zmq).
# The compiled modules are not put into src/: they are built into
# .dev/<variant>/{zmq-core,zmq-devices,zmq-eventloop}/lib, and the venv
# imports them from there (ci/dev_builds.py), so a system and a draft venv live side by side
# without one build overwriting the other's .so files. Later runs rebuild
# only what changed (Cython and the compiler skip what is up to date) and
# redo the setup only when tox.ini, a pyproject.toml or this script's
# helpers changed.
#
# Tests run from the distribution's tests/ folder (as tox does), with
# ZMQ_TEST_VARIANT set. The tests that build a package against a zmq-core
# wheel skip here (no ZMQ_WHEELHOUSE); tox runs them: .venv-tools/bin/tox run
# -e core-system after bash ci/build-wheels.sh system.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

variant=system
case "${1:-}" in
    system|draft) variant="$1"; shift ;;
esac

DEV_VENV="$REPO/.venv-dev-$variant"
BUILD="$REPO/.dev/$variant"
py="$DEV_VENV/bin/python"

bash "$REPO/ci/provision-libzmq.sh" "$variant"

# ZMQ_PREFIX set for draft and truly unset for system (zmq-core's setup.py
# then asks pkg-config, i.e. Debian's libzmq), as ci/build-wheels.sh does
with_libzmq() {
    if [ "$variant" = draft ]; then
        ZMQ_PREFIX="$DRAFT_PREFIX" "$@"
    else
        env -u ZMQ_PREFIX "$@"
    fi
}

# what the setup depends on: redone when one of these changes
setup_stamp() {
    cat "$REPO/tox.ini" "$REPO"/packages/*/pyproject.toml \
        "$REPO/ci/dev.sh" "$REPO/ci/dev_env.py" "$REPO/ci/dev_builds.py" | sha256sum
}

setup_venv() {
    local start=$SECONDS pkg name editable=() reqs
    log "setting up $DEV_VENV"
    [ -x "$py" ] || "$PYTHON" -m venv "$DEV_VENV"
    "$py" -m pip install -q --upgrade pip
    mapfile -t reqs < <("$PYTHON" "$REPO/ci/dev_env.py" requirements "$REPO/tox.ini")
    "$py" -m pip install -q "${reqs[@]}"
    for pkg in "$REPO"/packages/*/; do
        pkg="${pkg%/}"
        name="$(basename "$pkg")"
        [ -f "$pkg/pyproject.toml" ] || continue
        if [ -f "$pkg/setup.py" ]; then
            # its extensions are built below, per variant, not into src/
            "$PYTHON" "$REPO/ci/dev_env.py" stage "$pkg" "$BUILD/meta/$name"
            pkg="$BUILD/meta/$name"
        fi
        editable+=(-e "$pkg")
    done
    # compat: a .pth naming src/, never setuptools' import hook, which maps
    # zmq.utils to one distribution's folder and hides zmq-core's (the
    # import check after the build fails if that ever comes back); its
    # "transitional mode" warning goes to the log with pip's other chatter
    mkdir -p "$BUILD"
    if ! "$py" -m pip install -q --no-deps --no-build-isolation \
            --config-settings editable_mode=compat "${editable[@]}" >"$BUILD/editable.log" 2>&1; then
        tail -n 40 "$BUILD/editable.log"
        log "editable installs FAILED (full log: $BUILD/editable.log)"
        exit 1
    fi
    "$PYTHON" "$REPO/ci/dev_env.py" link "$("$py" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" \
        "$BUILD/zmq-core/lib" "$BUILD/zmq-devices/lib" "$BUILD/zmq-eventloop/lib"
    setup_stamp >"$DEV_VENV/.dev-stamp"
    log "$DEV_VENV ready ($((SECONDS - start)) s)"
}

# setup.py's own build, with every folder it writes under .dev/<variant>/
build_one() {
    local name="$1" out="$BUILD/$1" start=$SECONDS
    mkdir -p "$out"
    if ! (cd "$REPO/packages/$name" && with_libzmq "$py" setup.py -q \
            egg_info --egg-base "$out" \
            build --build-base "$out" --build-lib "$out/lib" --build-temp "$out/temp" \
            --parallel "$(nproc)") >"$out/build.log" 2>&1; then
        tail -n 60 "$out/build.log"
        log "$variant: $name FAILED (full log: $out/build.log)"
        exit 1
    fi
    log "$variant: $name built ($((SECONDS - start)) s)"
}

# the commit-msg hook (subjects of at most 72 characters): tools/git-hooks.
# A linked worktree shares its config with the main checkout and every other
# worktree, so it is left to whoever owns that checkout.
if [ -z "$(git -C "$REPO" config --get core.hooksPath || true)" ]; then
    if [ "$(git -C "$REPO" rev-parse --git-dir)" = "$(git -C "$REPO" rev-parse --git-common-dir)" ]; then
        git -C "$REPO" config core.hooksPath tools/git-hooks
        log "commit-msg hook installed (git config core.hooksPath tools/git-hooks)"
    else
        log "a linked worktree: install the commit-msg hook in the main checkout" \
            "(git config core.hooksPath tools/git-hooks)"
    fi
fi

if [ ! -f "$DEV_VENV/.dev-stamp" ] || [ "$(cat "$DEV_VENV/.dev-stamp")" != "$(setup_stamp)" ]; then
    setup_venv
fi
build_one zmq-core
# against the zmq-core just built (zmq.core.build, as a third-party package)
build_one zmq-devices
build_one zmq-eventloop
"$py" -c 'import zmq.devices.monitoredqueue, zmq.eventloop._fastpath, zmq.utils.jsonapi' \
    || { log "the dev venv does not import zmq as one package"; exit 1; }

[ "$#" -gt 0 ] || { log "ready: bash ci/dev.sh $variant packages/<dist>/tests/test_<x>.py"; exit 0; }

# pytest from the tests folder of the first path named (tox's changedir),
# with the paths made absolute
tests_dir=""
args=()
for a in "$@"; do
    if [ -e "$a" ]; then
        a="$(realpath "$a")"
        if [ -z "$tests_dir" ]; then
            tests_dir="$a"
            while [ "$tests_dir" != / ] && [ "$(basename "$tests_dir")" != tests ]; do
                tests_dir="$(dirname "$tests_dir")"
            done
        fi
    fi
    args+=("$a")
done
[ -n "$tests_dir" ] && [ "$tests_dir" != / ] || { log "name a test file or folder under packages/<dist>/tests"; exit 2; }
cd "$tests_dir"
ZMQ_TEST_VARIANT="$variant" PYTHONDONTWRITEBYTECODE=1 \
    exec "$py" -m pytest -p no:cacheprovider --timeout=120 -ra "${args[@]}"
