#!/usr/bin/env bash
# Runs a harness (bench, Lighthouse, chaos, e2e) with the local services it needs: provisions
# Node 24 and the dependencies like with-node.sh, starts PostgreSQL/Redis/S3 when they are not
# all running (scripts/services.sh up: the same services `npm test` starts), runs the command,
# and stops the services again if it started them — on success, failure, SIGINT or SIGTERM.
#
#   bash scripts/with-services.sh node --conditions=source bench/main.ts
#
# Signals: the command gets SIGINT/SIGTERM (it stops its own children; see
# @saas/shared/test-support exitOnStopSignals) and this script waits for it before stopping
# the services. Exit code: the command's.
set -uo pipefail

# shellcheck source=scripts/lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"

ensure_node || exit 1
ensure_deps || exit 1

started_services=""
if ! bash "$REPO_ROOT/scripts/services.sh" status >/dev/null 2>&1; then
  started_services=1
  bash "$REPO_ROOT/scripts/services.sh" up || {
    echo "[services] could not start the local services (see above); $1 needs them" >&2
    bash "$REPO_ROOT/scripts/services.sh" down >/dev/null 2>&1
    exit 1
  }
fi

child=""
signal_seen=""
# shellcheck disable=SC2317 # runs from the traps below
forward() {
  # A terminal's Ctrl-C reached the command already (same process group); a signal sent to
  # this script alone (CI, kill) is passed on. The runners ignore a repeat while they stop.
  signal_seen="$1"
  [ -n "$child" ] && kill "-$1" "$child" 2>/dev/null
}
trap 'forward INT' INT
trap 'forward TERM' TERM

"$@" &
child=$!
code=0
# `wait` returns early when a trapped signal arrives: wait until the command is really gone.
while kill -0 "$child" 2>/dev/null; do
  wait "$child"
  code=$?
done
trap '' INT TERM
if [ -n "$started_services" ]; then bash "$REPO_ROOT/scripts/services.sh" down; fi
case "$signal_seen" in
  INT) [ "$code" -eq 0 ] && code=130 ;;
  TERM) [ "$code" -eq 0 ] && code=143 ;;
esac
exit "$code"
