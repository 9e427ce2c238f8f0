#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Provision CPythons that neither the machine nor pyenv has: 3.14 and the
# free-threaded builds (3.14t, 3.13t), compiled from Debian's python3.X
# source package (unstable suite; its pristine upstream tarball, without
# Debian's packaging patches). The newest version of the package whose
# tarball the mirror serves is built (the index can list a version before
# the mirror has its files). Each build goes to a folder named by its exact
# version under the cache (outside the clone, so every clone and later runs
# reuse it):
#
#   ${ZMQ_STACK_CACHE:-~/.cache/zmq-stack}/cpython/3.14.N     python3.14
#   ${ZMQ_STACK_CACHE:-~/.cache/zmq-stack}/cpython/3.14.Nt    python3.14t (--disable-gil)
#
# ci/common.sh puts their bin folders on PATH (tox's py314, py314t, ...).
#
# usage: ci/provision-python.sh [3.X[t]...]   (default: 3.14 3.14t)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
APT_SUITE=unstable
APT_DIR="$CPYTHON_CACHE/apt"

# fetch the newest python3.X source of the suite whose files the mirror
# serves into WORK; prints the upstream version (3.14.9 for 3.14.9-1)
fetch_newest() {
    local minor="$1" work="$2" package="python$1" v
    private_apt apt-get -qq update
    for v in $(private_apt apt-cache showsrc "$package" 2>/dev/null \
            | sed -n 's/^Version: //p' | sort -rV); do
        if (cd "$work" && private_apt apt-get -qq source --download-only "$package=$v" \
                >>"$work/source.log" 2>&1); then
            echo "${v%-*}"
            return
        fi
        log "$package $v: the mirror does not serve its files" >&2
    done
    log "no $package source package of Debian $APT_SUITE can be fetched" >&2
    [ -f "$work/source.log" ] && tail -n 5 "$work/source.log" >&2
    return 1
}

# build 3.X (MINOR) into the cache; FLAVOUR "t" adds --disable-gil
build() {
    local minor="$1" flavour="$2" work="$CPYTHON_CACHE/work-$1$2" start=$SECONDS
    local found
    found="$(find "$CPYTHON_CACHE" -maxdepth 2 -path "*/$minor.*$flavour/.provisioned" 2>/dev/null \
        | grep -E "/$minor\.[0-9]+$flavour/" | sort -V | tail -n 1 || true)"
    if [ -n "$found" ]; then
        log "CPython $minor$flavour already in $(dirname "$found") ($(cat "$found"))"
        return
    fi
    # the modules pip, venv, tox and the test suites need: ssl (PyPI),
    # zlib/bz2/lzma (wheels, sdists), ctypes (cffi), sqlite3, uuid
    need_packages dpkg-dev gcc make pkg-config libssl-dev zlib1g-dev libbz2-dev liblzma-dev \
        libffi-dev libsqlite3-dev uuid-dev libreadline-dev
    rm -rf "$work"
    mkdir -p "$work"
    log "fetching Debian's python$minor source ($APT_SUITE)"
    local version
    version="$(fetch_newest "$minor" "$work")"
    local prefix="$CPYTHON_CACHE/$version$flavour"
    rm -rf "$prefix"
    tar -xf "$(ls "$work"/"python${minor}"_*.orig.tar.*)" -C "$work"
    local src
    src="$(find "$work" -maxdepth 1 -type d -name "Python-$version*" | head -n 1)"
    [ -n "$src" ] || { log "no Python-$version folder in the tarball"; exit 1; }
    local extra=()
    [ "$flavour" = t ] && extra+=(--disable-gil)
    log "building CPython $version$flavour (log: $work/build.log)"
    {
        cd "$src" &&
        ./configure --prefix="$prefix" --with-ensurepip=install "${extra[@]}" &&
        make -j"$(nproc)" && make install &&
        "$prefix/bin/python$minor$flavour" -c "
import sys, ssl, zlib, bz2, lzma, ctypes, sqlite3, venv
free = not getattr(sys, '_is_gil_enabled', lambda: True)()
assert free == ('$flavour' == 't'), free"
    } >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; log "CPython $version$flavour build failed"; exit 1; }
    cd "$REPO"
    rm -rf "$work"
    echo "Debian $APT_SUITE python$minor $version${flavour:+ (free-threaded)}, built in $((SECONDS - start)) s" \
        > "$prefix/.provisioned"
    log "CPython $version$flavour ready: $prefix/bin/python$minor$flavour"
}

mkdir -p "$CPYTHON_CACHE"
[ "$#" -gt 0 ] || set -- 3.14 3.14t
for what in "$@"; do
    case "$what" in
        3.1[3-9]t) build "${what%t}" t ;;
        3.1[3-9]) build "$what" "" ;;
        *) echo "usage: $0 [3.X[t]...] (3.13 or later)" >&2; exit 2 ;;
    esac
done
