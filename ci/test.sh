#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's test command (and CI's, through .ci/run): provision both libzmq
# builds, build every distribution's wheel once per build, then run the tox
# matrix: each distribution x {system, draft}, plus conformance, programs,
# lint, docs and sdist.
#
#   TOXENVS=core-system,lint bash ci/test.sh    runs a subset, building only
#                                               the wheels those environments
#                                               install (ci/wheels_needed.py)
#   PYTHONS="3.10 3.13" TOXENVS=core-py310-system,eventloop-py313-system bash ci/test.sh
#                                               also builds for, and tests on, other CPythons
#
# Environments run one after another: the machines have 2 cores and the
# tests that time things would be disturbed by a neighbour.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
start=$SECONDS

ensure_tools_venv

if [ -z "${TOXENVS:-}" ]; then
    # one pair of environments per distribution folder that has tests; tox
    # refuses a name tox.ini does not define, so a new folder cannot be
    # skipped silently
    envs=()
    for pkg in "$REPO"/packages/*/; do
        [ -f "$pkg/pyproject.toml" ] && [ -d "$pkg/tests" ] || continue
        short="$(basename "$pkg")"
        short="${short#zmq-}"
        envs+=("$short-system" "$short-draft")
    done
    # PyZMQ's own test suite against all the wheels, per libzmq build
    envs+=(conformance-system conformance-draft)
    # Jupyter and ipyparallel, installed beside the wheels without PyZMQ
    envs+=(programs-system programs-draft lint docs)
    # every sdist builds into working wheels (the quick part of ci/release.sh,
    # which builds and tests the manylinux wheels for 4 CPythons, run apart)
    envs+=(sdist)
    # Free-threaded CPython (issue #22) and 3.14, compiled from Debian's
    # source by ci/provision-python.sh: 3.14t and 3.14 once the mirror
    # serves python3.14's source, else 3.13t (its files 404 since
    # 3.14.9-1). ZMQ_CI_FT=0 leaves them out.
    if [ "${ZMQ_CI_FT:-1}" = 1 ]; then
        if bash "$REPO/ci/provision-python.sh" 3.14t 3.14 >&2; then
            extra=(py314t py314)
        else
            log "no CPython 3.14 source to build: the free-threaded envs run on 3.13t"
            extra=(py313t)
        fi
        for tag in "${extra[@]}"; do
            for short in core serial eventloop devices; do
                envs+=("$short-$tag-system")
            done
        done
    fi
    TOXENVS="$(IFS=,; echo "${envs[*]}")"
fi

# the CPythons other than the tools venv's that the environments name
# (core-py313t-system: 3.13t), built if pyenv and PATH lack them, and their
# wheels with them (PYTHONS)
for tag in $(tr ',-' '\n\n' <<<"$TOXENVS" | grep -E '^py3[0-9]+t?$' | sort -u); do
    v="${tag#py3}"
    v="3.${v}"
    [[ " ${PYTHONS:-} " == *" $v "* ]] && continue
    if ! python_for "$v" >/dev/null 2>&1; then
        bash "$REPO/ci/provision-python.sh" "$v"
    fi
    PYTHONS="${PYTHONS:+$PYTHONS }$v"
done
# common.sh put the cache's bin folders on PATH at start: the new ones too
for _bin in "$CPYTHON_CACHE"/3.1[3-9].*/bin; do
    [ -f "$_bin/../.provisioned" ] && [[ ":$PATH:" != *":$_bin:"* ]] && PATH="$PATH:$_bin"
done
export PATH PYTHONS

cd "$REPO"
# the wheels the environments install, per variant: "system all",
# "draft zmq-core zmq-green ..." (none for lint or sdist). The system libzmq
# is always provisioned: lint reads its zmq.h and sdist builds against it.
needs="$("$TOOLS_VENV/bin/tox" config -e "$TOXENVS" -k set_env \
    | "$PYTHON" "$REPO/ci/wheels_needed.py" "$REPO")"
if grep -q '^draft ' <<<"$needs"; then
    bash "$REPO/ci/provision-libzmq.sh" all
else
    bash "$REPO/ci/provision-libzmq.sh" system
fi
every=()
while read -r variant dists; do
    [ -n "$variant" ] || continue
    if [ "$dists" = all ]; then
        every+=("$variant")
    else
        bash "$REPO/ci/build-wheels.sh" --only "${dists// /,}" "$variant"
    fi
done <<<"$needs"
# the whole matrix: every wheel of both variants, in one build as before
[ "${#every[@]}" -eq 0 ] || bash "$REPO/ci/build-wheels.sh" "${every[@]}"

log "tox run -e $TOXENVS"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
status=0
"$TOOLS_VENV/bin/tox" run -e "$TOXENVS" 2>&1 | tee "$out" || status=$?

# Add up pytest's closing lines ("== 3 failed, 90 passed, 2 skipped in 4.2s ==")
# over every environment; errors count as failures.
read -r passed failed skipped < <(
    sed 's/\x1b\[[0-9;]*m//g' "$out" | awk '
        /^=+ .* in [0-9.]+s( \([0-9:]+\))? =+$/ {
            n = split($0, w, /[ ,]+/)
            for (i = 2; i <= n; i++) {
                if (w[i] == "passed") p += w[i-1]
                else if (w[i] == "failed" || w[i] ~ /^errors?$/) f += w[i-1]
                else if (w[i] == "skipped") s += w[i-1]
            }
        }
        END { printf "%d %d %d\n", p, f, s }')
log "envs: $TOXENVS; $((SECONDS - start)) s; tox exit status $status"
echo "summary: $passed passed, $failed failed, $skipped skipped"
exit "$status"
