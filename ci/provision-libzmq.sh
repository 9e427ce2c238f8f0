#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Provision the two libzmq builds every distribution is tested against.
#
#   system  Debian's packaged libzmq (libzmq3-dev), installed with apt-get.
#   draft   The same release from Debian's zeromq3 source package, built with
#           the draft API (and CURVE, through libsodium) into .libzmq/draft
#           (git-ignored), with libzmq's C perf tools in .libzmq/draft/bin.
#           Reused while its stamp file exists; delete .libzmq/draft to rebuild.
#   release The same source without the draft API, optimised and without debug
#           info, into .libzmq/release: the libzmq that ci/release.sh bundles
#           into the self-contained wheels. Not part of "all" (only releases
#           need it).
#
# usage: ci/provision-libzmq.sh [system|draft|release|all]   (default: all)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
WHAT="${1:-all}"
APT_DIR="$REPO/.libzmq/apt"
PERF_TOOLS=(local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat)

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

# Build Debian's zeromq3 source into a prefix, once: reused while the
# prefix's stamp file exists.
#   usage: build_from_source NAME PREFIX CONFIGURE_OPTION...
# NAME (draft, release) says what for; finish_NAME then runs in the built
# source folder with the prefix as its argument.
build_from_source() {
    local name="$1" prefix="$2"; shift 2
    local stamp="$prefix/.provisioned" work="$REPO/.libzmq/work-$name"
    if [ -f "$stamp" ]; then
        log "$name libzmq already in $prefix ($(cat "$stamp"))"
        return
    fi
    # dpkg-dev unpacks source packages; the orig tarball has no configure
    # script (Debian runs autoreconf), hence the autotools. libsodium is what
    # Debian's build uses for CURVE, and all our builds must have CURVE.
    need_packages dpkg-dev pkg-config gcc g++ make autoconf automake libtool libsodium-dev
    local start=$SECONDS
    rm -rf "$work" "$prefix"
    mkdir -p "$work"
    log "fetching Debian's zeromq3 source package"
    private_apt -qq update
    (cd "$work" && private_apt -qq source zeromq3 >"$work/source.log" 2>&1) \
        || { tail -n 20 "$work/source.log"; exit 1; }
    local src
    src="$(find "$work" -maxdepth 1 -mindepth 1 -type d -name 'zeromq*' | head -n 1)"
    [ -n "$src" ] || { log "no unpacked zeromq3 source in $work"; exit 1; }
    cd "$src"
    log "building $(basename "$src") ($name; log: $work/build.log)"
    # (chained with &&: set -e does not apply inside a group tested by ||)
    # The optional extras of Debian's build (pgm, norm, gssapi) are off by
    # default; libbsd and libunwind are turned off so the build does not
    # depend on what else happens to be installed. CURVE stays on.
    {
        ./autogen.sh &&
        ./configure --prefix="$prefix" \
            --with-libsodium --enable-curve --disable-libbsd --disable-libunwind \
            --disable-static --without-docs --disable-Werror "$@" &&
        make -j"$(nproc)" &&
        make install &&
        "finish_$name" "$prefix"
    } >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; log "$name build failed"; exit 1; }
    cd "$REPO"
    rm -rf "$work"
    local took=$((SECONDS - start))
    echo "$(basename "$src"), built in $took s" > "$stamp"
    log "$name libzmq ready in $prefix (built in $took s)"
}

# The draft API on, with libzmq's C perf tools (the physical limit bench/
# compares against) in the prefix's bin/. rpath: the library and the perf
# tools are found without LD_LIBRARY_PATH.
provision_draft() {
    build_from_source draft "$DRAFT_PREFIX" --enable-drafts --enable-perf \
        LDFLAGS="-Wl,-rpath,$DRAFT_PREFIX/lib"
}

finish_draft() {
    local prefix="$1" t
    # perf/* are noinst_PROGRAMS, which the default target builds; naming
    # them makes a missing one an error. Not in the first make: "all" is a
    # recursive make that would build the same files alongside.
    make "${PERF_TOOLS[@]/#/perf/}" || return 1
    # libtool leaves a wrapper script in perf/ and the real program in perf/.libs
    mkdir -p "$prefix/bin" || return 1
    for t in "${PERF_TOOLS[@]}"; do
        if [ -x "perf/.libs/$t" ]; then t="perf/.libs/$t"; else t="perf/$t"; fi
        cp "$t" "$prefix/bin/" || return 1
    done
    # configure writes -DZMQ_BUILD_DRAFT_API=1 into the .pc's Cflags for draft
    # builds; builds that read pkg-config (zmq-core's setup.py) rely on it
    local pc="$prefix/lib/pkgconfig/libzmq.pc"
    if ! grep -q -- '-DZMQ_BUILD_DRAFT_API=1' "$pc"; then
        log "patching $pc: Cflags lacked -DZMQ_BUILD_DRAFT_API=1"
        sed -i 's/^Cflags:.*/& -DZMQ_BUILD_DRAFT_API=1/' "$pc" || return 1
    fi
    "$prefix/bin/inproc_lat" 64 100 >/dev/null || { log "inproc_lat does not run"; return 1; }
}

# The libzmq the release wheels bundle: stable API only, -O2 without debug
# info. No rpath: auditwheel copies the library (and libsodium) into the
# wheel and points the extensions at it.
provision_release() {
    build_from_source release "$RELEASE_PREFIX" --disable-perf CFLAGS="-O2 -g0" CXXFLAGS="-O2 -g0"
}

# the licences of what the wheels bundle, from the source actually built
finish_release() {
    local prefix="$1"
    mkdir -p "$prefix/share/licenses" &&
    cp debian/copyright "$prefix/share/licenses/libzmq.copyright" &&
    cp /usr/share/doc/libsodium23/copyright "$prefix/share/licenses/libsodium.copyright"
}

# One provisioning at a time: ci/ commands run side by side on one machine
# would otherwise both rebuild, and delete, the same prefix.
mkdir -p "$REPO/.libzmq"
exec 9>"$REPO/.libzmq/.lock"
flock 9

case "$WHAT" in
    system) provision_system ;;
    draft) provision_draft ;;
    release) provision_release ;;
    all) provision_system; provision_draft ;;
    *) echo "usage: $0 [system|draft|release|all]" >&2; exit 2 ;;
esac
