#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's test command: provision both libzmq builds, build every
# distribution's wheel once per build, then run the tox matrix
# (each distribution x {system, draft}, plus lint and docs).
#
# TOXENVS=core-system,lint bash ci/test.sh   runs a subset.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
start=$SECONDS

bash "$REPO/ci/provision-libzmq.sh" all
ensure_tools_venv
bash "$REPO/ci/build-wheels.sh" system draft

if [ -z "${TOXENVS:-}" ]; then
    envs=()
    for pkg in "$REPO"/packages/*/; do
        short="$(basename "$pkg")"
        short="${short#zmq-}"
        envs+=("$short-system" "$short-draft")
    done
    envs+=(lint docs)
    TOXENVS="$(IFS=,; echo "${envs[*]}")"
fi

log "tox -e $TOXENVS"
cd "$REPO"
status=0
"$TOOLS_VENV/bin/tox" run -e "$TOXENVS" || status=$?
log "finished in $((SECONDS - start)) s with status $status"
exit "$status"
