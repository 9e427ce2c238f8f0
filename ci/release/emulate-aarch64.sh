#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run a command that uses an arm64 CPython, on this x86-64 machine: Debian's
# python3.11 for arm64 (with venv and its headers) unpacked into
# .libzmq/release/arm64-root, run by Debian's qemu-user-static.
#
# Nothing is installed into the machine's dpkg for arm64 (the machine's
# python3 would be replaced): the packages are downloaded with apt-get under
# a private configuration (arm64 only, our own lists, an empty dpkg status,
# so the whole dependency closure comes) and unpacked with dpkg -x.
#
# The command runs in a user namespace of its own with a binfmt_misc of its
# own (Linux 6.7 and later give each user namespace one), where arm64 ELF
# programs start through qemu-aarch64-static: an arm64 python can start
# arm64 subprocesses (venv, pip) and this machine's programs alike. The
# machine's own binfmt_misc is not touched.
#
# In the command, @PYTHON@ stands for the arm64 python3.11; CC, LDSHARED and
# CFLAGS make its setuptools compile with zig for aarch64 (glibc 2.17)
# against the arm64 headers.
#
# usage: emulate-aarch64.sh COMMAND [ARG...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

ROOT="$RELEASE_PREFIX/arm64-root"
APT="$RELEASE_PREFIX/arm64-apt"
PACKAGES=(python3.11 python3.11-venv libpython3.11-dev)
CC_AARCH64="$RELEASE_PREFIX/toolchain/bin/aarch64-linux-gnu.2.17-cc"

[ -x "$CC_AARCH64" ] || { log "no $CC_AARCH64: run ci/provision-libzmq.sh release aarch64-linux-gnu.2.17"; exit 1; }
if ! command -v qemu-aarch64-static >/dev/null; then
    log "apt-get install qemu-user-static"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null; }
fi
# the kernel must give this user namespace its own binfmt_misc
kernel="$(uname -r)"
kmajor="${kernel%%.*}"; kminor="${kernel#*.}"; kminor="${kminor%%.*}"
if [ "$kmajor" -lt 6 ] || { [ "$kmajor" -eq 6 ] && [ "$kminor" -lt 7 ]; }; then
    log "Linux $kernel has no binfmt_misc per user namespace (6.7+): cannot run arm64 programs"
    exit 1
fi

if [ ! -f "$ROOT/.provisioned" ]; then
    log "downloading Debian's arm64 ${PACKAGES[*]} into $ROOT"
    rm -rf "$ROOT" "$APT"
    mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/state" "$ROOT"
    : > "$APT/state/status"
    mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
    suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
    echo "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" \
        > "$APT/sources.list"
    apt_arm64=(apt-get -qq
        -o "Dir::Etc::SourceList=$APT/sources.list" -o "Dir::Etc::SourceParts=-"
        -o "Dir::State=$APT/state" -o "Dir::State::Lists=$APT/lists"
        -o "Dir::State::status=$APT/state/status" -o "Dir::Cache=$APT/cache"
        -o "APT::Architecture=arm64" -o "APT::Architectures::=arm64"
        -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
    "${apt_arm64[@]}" update
    "${apt_arm64[@]}" install -y --download-only --no-install-recommends "${PACKAGES[@]}" >/dev/null
    for deb in "$APT"/cache/archives/*.deb; do
        dpkg -x "$deb" "$ROOT"
    done
    rm -rf "$APT"
    QEMU_LD_PREFIX="$ROOT" qemu-aarch64-static "$ROOT/usr/bin/python3.11" -c "import venv, ensurepip" \
        || { log "the arm64 python3.11 does not run under qemu"; exit 1; }
    echo "${PACKAGES[*]} (Debian $(. /etc/os-release && echo "$VERSION_CODENAME"), arm64)" > "$ROOT/.provisioned"
fi

args=()
for a in "$@"; do args+=("${a//@PYTHON@/$ROOT/usr/bin/python3.11}"); done

# the magic and mask of an arm64 ELF executable or shared object, as
# Debian's qemu-user-static registers it; F: qemu is opened now, so it runs
# in any mount namespace
magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
export QEMU_LD_PREFIX="$ROOT"
export CC="$CC_AARCH64" LDSHARED="$CC_AARCH64 -shared"
# Debian's pyconfig.h includes <aarch64-linux-gnu/python3.11/pyconfig.h>;
# -idirafter: zig's own libc headers still come first
export CFLAGS="-I$ROOT/usr/include/python3.11 -idirafter $ROOT/usr/include"
log "running under qemu-aarch64: ${args[*]}"
exec unshare --user --map-root-user --mount sh -ec '
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    printf ":qemu-aarch64:M::%s:%s:%s:F" "$1" "$2" "$(command -v qemu-aarch64-static)" \
        > /proc/sys/fs/binfmt_misc/register
    shift 2
    exec "$@"' sh "$magic" "$mask" "${args[@]}"
