#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Provision the two libzmq builds every distribution is tested against.
#
#   system  Debian's packaged libzmq (libzmq3-dev), installed with apt-get.
#   draft   The same release from Debian's zeromq3 source package, built with
#           the draft API (and CURVE, through libsodium) into .libzmq/draft
#           (git-ignored), with libzmq's C perf tools in .libzmq/draft/bin.
#           Reused while its stamp file exists; delete .libzmq/draft to rebuild.
#
# usage: ci/provision-libzmq.sh [system|draft|all]   (default: all)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WHAT="${1:-all}"
DRAFT_PREFIX="$REPO/.libzmq/draft"
DRAFT_STAMP="$DRAFT_PREFIX/.provisioned"
WORK="$REPO/.libzmq/work"
APT_DIR="$REPO/.libzmq/apt"
PERF_TOOLS=(local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat)

log() { echo "[provision-libzmq] $*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Install with the lists the machine has; refresh them only when they are
# missing or the install fails (stale lists name versions the mirror dropped).
apt_install() {
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@")
    if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
        as_root apt-get update -qq
    elif as_root "${install[@]}" >/dev/null; then
        return
    else
        log "apt-get install failed; refreshing the package lists and retrying"
        as_root apt-get update -qq
    fi
    as_root "${install[@]}" >/dev/null
}

# apt-get install only what is not installed yet (dpkg-query is instant,
# apt-get is not, and this runs at the start of every ci/ command)
need_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        log "apt-get install ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

provision_system() {
    local pkgs=(pkg-config gcc g++ make)
    # valgrind: zmq-core's memcheck tests of the zero-copy paths
    pkgs+=(valgrind)
    # openssh: zmq-core's zmq.ssh tests tunnel through a private sshd on 127.0.0.1
    pkgs+=(openssh-server openssh-client)
    pkg-config --exists libzmq 2>/dev/null || pkgs+=(libzmq3-dev)
    need_packages "${pkgs[@]}"
    pkg-config --exists libzmq || { log "pkg-config still finds no libzmq"; exit 1; }
    log "system libzmq $(pkg-config --modversion libzmq) ready"
}

# apt-get with a private configuration: our own sources list (a single
# deb-src line) and our own lists and cache, so the machine's apt sources
# are never modified and its package lists are not touched.
private_apt() {
    local mirror suite signed=""
    mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
    suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
    [ -r /usr/share/keyrings/debian-archive-keyring.gpg ] \
        && signed="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
    mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
    echo "deb-src $signed$mirror $suite main" > "$APT_DIR/sources.list"
    # APT::Sandbox::User=root: the _apt user cannot write into our folders
    apt-get \
        -o "Dir::Etc::SourceList=$APT_DIR/sources.list" \
        -o "Dir::Etc::SourceParts=-" \
        -o "Dir::State::Lists=$APT_DIR/lists" \
        -o "Dir::Cache=$APT_DIR/cache" \
        -o "APT::Sandbox::User=root" \
        "$@"
}

provision_draft() {
    if [ -f "$DRAFT_STAMP" ]; then
        log "draft libzmq already in $DRAFT_PREFIX ($(cat "$DRAFT_STAMP"))"
        return
    fi
    # dpkg-dev unpacks source packages; the orig tarball has no configure
    # script (Debian runs autoreconf), hence the autotools. libsodium is what
    # Debian's build uses for CURVE, and both our builds must have CURVE.
    need_packages dpkg-dev pkg-config gcc g++ make autoconf automake libtool libsodium-dev
    local start=$SECONDS
    rm -rf "$WORK" "$DRAFT_PREFIX"
    mkdir -p "$WORK"
    log "fetching Debian's zeromq3 source package"
    private_apt -qq update
    (cd "$WORK" && private_apt -qq source zeromq3 >"$WORK/source.log" 2>&1) \
        || { tail -n 20 "$WORK/source.log"; exit 1; }
    local src
    src="$(find "$WORK" -maxdepth 1 -mindepth 1 -type d -name 'zeromq*' | head -n 1)"
    [ -n "$src" ] || { log "no unpacked zeromq3 source in $WORK"; exit 1; }
    cd "$src"
    log "building $(basename "$src") with the draft API (log: $WORK/build.log)"
    # (chained with &&: set -e does not apply inside a group tested by ||)
    {
        ./autogen.sh &&
        # The optional extras of Debian's build (pgm, norm, gssapi) are off by
        # default; libbsd and libunwind are turned off so the build does not
        # depend on what else happens to be installed. CURVE stays on.
        # rpath: the library and the perf tools are found without LD_LIBRARY_PATH.
        ./configure --prefix="$DRAFT_PREFIX" --enable-drafts \
            --with-libsodium --enable-curve --enable-perf \
            --disable-libbsd --disable-libunwind \
            --disable-static --without-docs --disable-Werror \
            LDFLAGS="-Wl,-rpath,$DRAFT_PREFIX/lib" &&
        make -j"$(nproc)" &&
        # perf/* are noinst_PROGRAMS, which the default target builds; naming
        # them makes a missing one an error. Not on the line above: "all" is a
        # recursive make that would build the same files alongside.
        make "${PERF_TOOLS[@]/#/perf/}" &&
        make install
    } >"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log"; log "draft build failed"; exit 1; }
    # libzmq's C benchmarks: the physical limit bench/ compares against.
    # libtool leaves a wrapper script in perf/ and the real program in perf/.libs.
    mkdir -p "$DRAFT_PREFIX/bin"
    local t
    for t in "${PERF_TOOLS[@]}"; do
        if [ -x "perf/.libs/$t" ]; then cp "perf/.libs/$t" "$DRAFT_PREFIX/bin/"; else cp "perf/$t" "$DRAFT_PREFIX/bin/"; fi
    done
    # configure writes -DZMQ_BUILD_DRAFT_API=1 into the .pc's Cflags for draft
    # builds; builds that read pkg-config (zmq-core's setup.py) rely on it
    local pc="$DRAFT_PREFIX/lib/pkgconfig/libzmq.pc"
    if ! grep -q -- '-DZMQ_BUILD_DRAFT_API=1' "$pc"; then
        log "patching $pc: Cflags lacked -DZMQ_BUILD_DRAFT_API=1"
        sed -i 's/^Cflags:.*/& -DZMQ_BUILD_DRAFT_API=1/' "$pc"
    fi
    "$DRAFT_PREFIX/bin/inproc_lat" 64 100 >/dev/null || { log "inproc_lat does not run"; exit 1; }
    cd "$REPO"
    rm -rf "$WORK"
    local took=$((SECONDS - start))
    echo "$(basename "$src"), built in $took s" > "$DRAFT_STAMP"
    log "draft libzmq ready in $DRAFT_PREFIX (built in $took s)"
}

# One provisioning at a time: ci/ commands run side by side on one machine
# would otherwise both rebuild, and delete, the same prefix.
mkdir -p "$REPO/.libzmq"
exec 9>"$REPO/.libzmq/.lock"
flock 9

case "$WHAT" in
    system) provision_system ;;
    draft) provision_draft ;;
    all) provision_system; provision_draft ;;
    *) echo "usage: $0 [system|draft|all]" >&2; exit 2 ;;
esac
