#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build each distribution's wheel once per libzmq variant into
# .wheelhouse/<variant>/, which every tox environment installs from.
#
# zmq-core is built first; every other folder under packages/ is then built
# against that variant's wheelhouse (--find-links), the way a third-party
# package that cimports zmq-core builds against it from an index. A new
# distribution needs no change here: its folder is picked up.
#
# No build asks an index (--no-index): the build tools (setuptools, Cython)
# are downloaded first into .wheelhouse/.build-tools/ (ci/build_tools.py),
# so zmq-devices' zmq-core build requirement can only be the wheel built here.
#
# The wheels are for the tools venv's CPython. PYTHONS="3.10 3.12 3.13" also
# makes .wheelhouse/<variant>-py3XX/ for each of those CPythons: the
# distributions that compile extensions (those with a setup.py) built for
# it, plus the pure-Python wheels, for tox's {core,eventloop,...}-py3XX-<variant>
# environments. Each folder holds one CPython's wheels only, so everything
# that installs a whole folder keeps working.
#
# --only zmq-core,zmq-green builds those distributions only (zmq-core is
# always built: the others build against it and every environment installs
# it); ci/test.sh passes what the selected tox environments install. Only
# the wheels of the distributions being built are removed first: the others'
# stay, as built last time.
#
# usage: [PYTHONS="3.10 ..."] ci/build-wheels.sh [--only DIST,...] [system|draft ...]
#        (default: every distribution, system and draft)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_tools_venv

only=""
if [ "${1:-}" = --only ]; then
    [ -n "${2:-}" ] || { echo "usage: $0 [--only DIST,...] [system|draft ...]" >&2; exit 2; }
    only=",zmq-core,$2,"
    shift 2
fi
variants=("$@")
[ "${#variants[@]}" -gt 0 ] || variants=(system draft)

# the distributions to build: every folder under packages/ with a
# pyproject.toml (the private ones, packages/_*, left out), zmq-core first,
# or those --only names
dists=(zmq-core)
for pkg in "$REPO"/packages/*/; do
    name="$(basename "$pkg")"
    [ "$name" = zmq-core ] && continue
    [ -f "$pkg/pyproject.toml" ] || continue
    case "$name" in _*) continue ;; esac  # private (the test kit)
    [ -z "$only" ] || [[ "$only" == *",$name,"* ]] || continue
    dists+=("$name")
done
if [ -n "$only" ]; then
    for name in ${only//,/ }; do
        [ -f "$REPO/packages/$name/pyproject.toml" ] || { log "--only: no distribution $name"; exit 2; }
    done
fi

# Each build runs on a fresh copy of the package folder: an in-tree build
# would leave build/ (which setuptools reuses, so the second variant would get
# the first one's objects: zmq.h is not among the extension's depends) and
# write build-time files into the working tree other people are editing.
# Generated Cython C under src/ is left behind so Cython regenerates it.
stage_copy() {
    local pkg="$1" dest="$2"
    rm -rf "$dest"
    mkdir -p "$dest"
    tar -C "$pkg" -cf - \
        --exclude=./build --exclude=./dist --exclude='*.egg-info' \
        --exclude=__pycache__ --exclude='*.so' --exclude='./src/*.c' . \
        | tar -C "$dest" -xf -
}

# pip wheel with ZMQ_PREFIX set for draft and truly unset for system
# (zmq-core's setup.py then asks pkg-config, i.e. Debian's libzmq); the
# isolated build environment comes from the build tools and the wheelhouse
pip_wheel() {
    local variant="$1" py="$2"; shift 2
    local pip=("$py" -m pip wheel -q --no-deps --no-index --find-links "$BUILD_TOOLS")
    if [ "$variant" = draft ]; then
        ZMQ_PREFIX="$DRAFT_PREFIX" "${pip[@]}" "$@"
    else
        env -u ZMQ_PREFIX "${pip[@]}" "$@"
    fi
}

# pip's and setuptools' chatter goes to a log, shown only when a build fails
build_one() {
    local variant="$1" pkg="$2" py="${3:-$TOOLS_VENV/bin/python}" out="${4:-$WHEELHOUSE/$1}"
    local name stage build_log start=$SECONDS suffix=""
    [ -n "${3:-}" ] && suffix="-$(basename "$py")"
    name="$(basename "$pkg")"
    stage="$WHEELHOUSE/.build/$variant/$name$suffix"
    build_log="$WHEELHOUSE/.build/$variant-$name$suffix.log"
    stage_copy "$pkg" "$stage"
    # this distribution's wheels built before (another version, another
    # build): stale ones must not be installable
    rm -f "$out/${name//-/_}"-*.whl
    if ! pip_wheel "$variant" "$py" --find-links "$out" -w "$out" "$stage" >"$build_log" 2>&1; then
        grep -v "^WARNING: Location .* is ignored" "$build_log" | tail -n 60 || true
        log "$variant: $name FAILED (full log: $build_log)"
        exit 1
    fi
    rm -rf "$stage"
    log "$variant: $name$suffix ($((SECONDS - start)) s)"
}

build_variant() {
    local variant="$1" out="$WHEELHOUSE/$1" pkg
    if [ "$variant" = draft ] && [ ! -f "$DRAFT_PREFIX/.provisioned" ]; then
        log "no draft libzmq in $DRAFT_PREFIX: run ci/provision-libzmq.sh draft first"
        exit 1
    fi
    mkdir -p "$out"
    for name in "${dists[@]}"; do
        build_one "$variant" "$REPO/packages/$name"
    done
    # the compiled distributions again for each other CPython asked for,
    # zmq-core first (zmq-devices builds against it)
    local v py pyout wheel
    for v in ${PYTHONS:-}; do
        py="$(python_for "$v")" || exit 1
        pyout="$WHEELHOUSE/$variant-py${v/./}"
        mkdir -p "$pyout"
        for name in "${dists[@]}"; do
            if [ -f "$REPO/packages/$name/setup.py" ]; then
                build_one "$variant" "$REPO/packages/$name" "$py" "$pyout"
            else
                # the pure-Python wheels are the same for every CPython
                rm -f "$pyout/${name//-/_}"-*.whl
                for wheel in "$out/${name//-/_}"-*-py3-none-any.whl; do
                    cp "$wheel" "$pyout"/
                done
            fi
        done
    done
}

# one build at a time (say ci/tour.sh started while ci/test.sh builds):
# both would write the same staging folders and wheel files
mkdir -p "$WHEELHOUSE"
exec 9>"$WHEELHOUSE/.lock"
flock 9

# the build tools for every CPython the wheels are built for
pythons=("$TOOLS_VENV/bin/python")
for v in ${PYTHONS:-}; do
    py="$(python_for "$v")" || exit 1
    pythons+=("$py")
done
fetch_build_tools "${pythons[@]}"

for v in "${variants[@]}"; do
    case "$v" in
        system|draft) build_variant "$v" ;;
        *) echo "usage: $0 [system|draft ...]" >&2; exit 2 ;;
    esac
done
