#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's test command (and CI's, through .ci/run): provision both libzmq
# builds, build every distribution's wheel once per build, then run the tox
# matrix: each distribution x {system, draft}, plus lint and docs.
#
#   TOXENVS=core-system,lint bash ci/test.sh    runs a subset
#
# Environments run one after another: the machines have 2 cores and the
# tests that time things would be disturbed by a neighbour.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
start=$SECONDS

bash "$REPO/ci/provision-libzmq.sh" all
ensure_tools_venv
bash "$REPO/ci/build-wheels.sh" system draft

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
    envs+=(conformance-system conformance-draft lint docs)
    TOXENVS="$(IFS=,; echo "${envs[*]}")"
fi

log "tox run -e $TOXENVS"
cd "$REPO"
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
