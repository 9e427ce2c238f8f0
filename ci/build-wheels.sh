#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build each distribution's wheel once per libzmq variant into
# .wheelhouse/<variant>/, which every tox environment installs from.
#
# usage: ci/build-wheels.sh [system|draft ...]   (default: system draft)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_tools_venv

variants=("$@")
[ "${#variants[@]}" -gt 0 ] || variants=(system draft)

build_variant() {
    local variant="$1" out="$WHEELHOUSE/$1"
    mkdir -p "$out"
    rm -f "$out"/*.whl
    local prefix=""
    [ "$variant" = draft ] && prefix="$DRAFT_PREFIX"
    # zmq-core first: the others depend on it (and some cimport it)
    log "$variant: zmq-core"
    ZMQ_PREFIX="$prefix" "$TOOLS_VENV/bin/python" -m pip wheel -q --no-deps \
        --no-build-isolation -w "$out" "$REPO/packages/zmq-core"
    rm -rf "$REPO/packages/zmq-core/build"
    for pkg in "$REPO"/packages/*/; do
        local name
        name="$(basename "$pkg")"
        [ "$name" = zmq-core ] && continue
        log "$variant: $name"
        ZMQ_PREFIX="$prefix" "$TOOLS_VENV/bin/python" -m pip wheel -q --no-deps \
            --find-links "$out" -w "$out" "$pkg"
        rm -rf "$pkg/build"
    done
    ls "$out"
}

for v in "${variants[@]}"; do
    case "$v" in
        system|draft) build_variant "$v" ;;
        *) echo "unknown variant $v" >&2; exit 2 ;;
    esac
done
