#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Provision the two libzmq builds every distribution is tested against.
#
#   system  Debian's packaged libzmq (libzmq3-dev), installed with apt-get.
#   draft   The same release from Debian's zeromq3 source package, built with
#           the draft API into .libzmq/draft (git-ignored), with libzmq's C
#           perf tools in .libzmq/draft/bin. Reused while its stamp exists.
#
# usage: ci/provision-libzmq.sh [system|draft|all]   (default: all)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WHAT="${1:-all}"
DRAFT_PREFIX="$REPO/.libzmq/draft"
DRAFT_STAMP="$DRAFT_PREFIX/.provisioned"
WORK="$REPO/.libzmq/work"
APT_DIR="$REPO/.libzmq/apt"

log() { echo "[provision-libzmq] $*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
    # the package lists may be missing or stale on a fresh machine
    if [ "$apt_updated" = 0 ]; then
        as_root apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        log "apt-get install ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

provision_system() {
    need_packages libzmq3-dev pkg-config gcc g++ make valgrind
    log "system libzmq $(pkg-config --modversion libzmq) ready"
}

# apt-get source with a private configuration: our own sources list (with a
# deb-src line) and our own lists/cache, so the system's apt setup is untouched
private_apt() {
    local mirror suite
    mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
    suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
    mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
    echo "deb-src $mirror $suite main" > "$APT_DIR/sources.list"
    local opts=(
        -o "Dir::Etc::SourceList=$APT_DIR/sources.list"
        -o "Dir::Etc::SourceParts=-"
        -o "Dir::State::Lists=$APT_DIR/lists"
        -o "Dir::Cache=$APT_DIR/cache"
        -o "APT::Sandbox::User=root"
    )
    apt-get "${opts[@]}" "$@"
}

provision_draft() {
    if [ -f "$DRAFT_STAMP" ]; then
        log "draft libzmq already in $DRAFT_PREFIX ($(cat "$DRAFT_STAMP"))"
        return
    fi
    # dpkg-dev unpacks source packages; libsodium gives CURVE, as in Debian's build
    need_packages dpkg-dev libsodium-dev pkg-config gcc g++ make autoconf automake libtool
    local start=$SECONDS
    rm -rf "$WORK" "$DRAFT_PREFIX"
    mkdir -p "$WORK"
    log "fetching Debian's zeromq3 source package"
    private_apt -qq update
    (cd "$WORK" && private_apt -qq source zeromq3 >/dev/null)
    local src
    src="$(find "$WORK" -maxdepth 1 -mindepth 1 -type d -name 'zeromq*' | head -n 1)"
    [ -n "$src" ] || { log "no unpacked zeromq3 source in $WORK"; exit 1; }
    log "building $(basename "$src") with the draft API"
    cd "$src"
    [ -x configure ] || ./autogen.sh >/dev/null 2>"$WORK/autogen.log" || { tail -n 40 "$WORK/autogen.log"; exit 1; }
    # rpath: the perf tools and the library find each other without LD_LIBRARY_PATH
    ./configure --quiet --prefix="$DRAFT_PREFIX" --enable-drafts --with-libsodium \
        --disable-static --without-docs --disable-Werror \
        LDFLAGS="-Wl,-rpath,$DRAFT_PREFIX/lib" >/dev/null
    make -j"$(nproc)" >/dev/null 2>"$WORK/make.log" || { tail -n 40 "$WORK/make.log"; exit 1; }
    make install >/dev/null
    # libzmq's C benchmarks: the physical limit our bench/ compares against
    local tools=(local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat)
    make -j"$(nproc)" "${tools[@]/#/perf/}" >/dev/null 2>>"$WORK/make.log" \
        || { tail -n 40 "$WORK/make.log"; exit 1; }
    mkdir -p "$DRAFT_PREFIX/bin"
    for t in "${tools[@]}"; do
        # libtool wraps uninstalled programs; the real binary is in .libs
        if [ -x "perf/.libs/$t" ]; then cp "perf/.libs/$t" "$DRAFT_PREFIX/bin/"; else cp "perf/$t" "$DRAFT_PREFIX/bin/"; fi
    done
    local pc="$DRAFT_PREFIX/lib/pkgconfig/libzmq.pc"
    grep -q ZMQ_BUILD_DRAFT_API "$pc" || { log "$pc lacks -DZMQ_BUILD_DRAFT_API"; exit 1; }
    cd "$REPO"
    rm -rf "$WORK"
    echo "$(basename "$src"), built in $((SECONDS - start)) s" > "$DRAFT_STAMP"
    log "draft libzmq ready in $DRAFT_PREFIX ($((SECONDS - start)) s)"
}

case "$WHAT" in
    system) provision_system ;;
    draft) provision_draft ;;
    all) provision_system; provision_draft ;;
    *) echo "usage: $0 [system|draft|all]" >&2; exit 2 ;;
esac
