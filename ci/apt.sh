# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the ci/ provisioning scripts: Debian packages through apt-get.
# The caller sets APT_DIR (the private apt folder) and may set APT_SUITE
# (default: the machine's own suite).

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

# apt-get with a private configuration: our own sources list (a single
# deb-src line) and our own lists and cache, so the machine's apt sources
# are never modified and its package lists are not touched.
#   usage: private_apt [apt-get|apt-cache] ARGUMENT...   (apt-get by default)
private_apt() {
    local tool=apt-get mirror suite="${APT_SUITE:-}" signed=""
    case "${1:-}" in apt-get|apt-cache) tool="$1"; shift ;; esac
    mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
    [ -n "$suite" ] || suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
    [ -r /usr/share/keyrings/debian-archive-keyring.gpg ] \
        && signed="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
    mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
    echo "deb-src $signed$mirror $suite main" > "$APT_DIR/sources.list"
    # APT::Sandbox::User=root: the _apt user cannot write into our folders
    "$tool" \
        -o "Dir::Etc::SourceList=$APT_DIR/sources.list" \
        -o "Dir::Etc::SourceParts=-" \
        -o "Dir::State::Lists=$APT_DIR/lists" \
        -o "Dir::Cache=$APT_DIR/cache" \
        -o "APT::Sandbox::User=root" \
        "$@"
}
