#!/usr/bin/env bash
# `npm run dev`: the whole stack locally, on a fresh clone. Provisions Node 24, installs
# dependencies if missing, starts PostgreSQL/Redis/S3 (scripts/services.sh), applies
# migrations, then runs every workspace's dev process (turbo). One progress line per step, then
# a ready banner (scripts/dev-ready.ts). In a terminal the processes' JSON log lines are shown
# as coloured one-liners (scripts/dev-logs.ts); anywhere else they stay JSON.
#
# Ctrl-C (or SIGTERM) stops everything in order: the dev processes shut down gracefully, then
# the services this script started are stopped. A terminal's Ctrl-C reaches every process of
# the foreground group while turbo forwards its own copy, so each process sees SIGINT twice at
# once: the lifecycle module (shared/src/lifecycle) and this script treat a repeat of the same
# signal within 1 s as the same request. A deliberate second Ctrl-C later stops at once.
# Exit code: 130 after SIGINT, 143 after SIGTERM, else turbo's.
#
# DEV_LOG_JSON=1 keeps the JSON lines in a terminal too.
set -uo pipefail

# shellcheck source=scripts/lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"
cd "$REPO_ROOT" || exit 1

progress() { printf '[dev] %s\n' "$*" >&2; }
since() { printf '%d s' "$((SECONDS - $1))"; }

stopping=""
first_signal=""
first_signal_at=0
dev_pid=""
ready_pid=""
fmt_pid=""
started_services=""

# shellcheck disable=SC2317 # now_us and on_signal run from the traps below.
# Microseconds since the epoch, from bash's EPOCHREALTIME (no fork inside a trap).
now_us() { local t="${EPOCHREALTIME/./}"; printf '%s' "${t#0}"; }

# shellcheck disable=SC2317
on_signal() {
  local sig="$1"
  if [ -z "$stopping" ]; then
    stopping=1
    first_signal="$sig"
    first_signal_at="$(now_us)"
    progress "$sig received: stopping the dev processes, then the services (Ctrl-C again after 1 s: at once)"
    [ -n "$ready_pid" ] && kill -TERM "$ready_pid" 2>/dev/null
    # turbo forwards the signal to every task it started and waits for them.
    [ -n "$dev_pid" ] && kill "-$sig" "$dev_pid" 2>/dev/null
    return
  fi
  if [ "$sig" = "$first_signal" ] && [ "$(($(now_us) - first_signal_at))" -lt 1000000 ]; then
    return # the same Ctrl-C, delivered again (npm forwards it too)
  fi
  progress "second $sig: stopping the dev processes at once"
  [ -n "$dev_pid" ] && kill "-$sig" "$dev_pid" 2>/dev/null
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

finish() {
  local code="$1"
  trap '' INT TERM
  [ -n "$ready_pid" ] && kill -TERM "$ready_pid" 2>/dev/null
  if [ -n "$started_services" ]; then
    progress "stopping the services this run started"
    bash scripts/services.sh down
  fi
  if [ -n "$fmt_pid" ]; then
    exec {fmt_fd}>&-
    wait "$fmt_pid" 2>/dev/null
  fi
  case "$first_signal" in
    INT) code=130 ;;
    TERM) code=143 ;;
  esac
  progress "stopped (exit $code)"
  exit "$code"
}

# A step interrupted by Ctrl-C (its own process got the SIGINT too) ends the run here.
check_stop() { [ -z "$stopping" ] || finish 1; }

t_all=$SECONDS
t=$SECONDS
ensure_node || exit 1
progress "node $(node -v) ($(command -v node))"
check_stop
t=$SECONDS
ensure_deps || exit 1
progress "dependencies installed ($(since "$t"))"
check_stop

if [ ! -f .env ]; then
  # The example holds working local values for every required variable.
  cp .env.example .env
  progress "created .env from .env.example (local defaults; edit it to point elsewhere)"
fi
# The dev login (any email signs in, stack traces in 500 bodies) is an explicit opt-in that the
# API accepts only on loopback and never in production: written here, for local use only.
# Set DEV_LOGIN_ENABLED=false in .env to turn it off (the line is then left alone).
if ! grep -qE '^[[:space:]]*DEV_LOGIN_ENABLED=' .env; then
  printf '\n# Written by npm run dev: local dev login (loopback only, refused in production).\nDEV_LOGIN_ENABLED=true\n' >> .env
  echo "[dev] .env: DEV_LOGIN_ENABLED=true (local dev login; set it to false to turn it off)" >&2
fi

t=$SECONDS
if ! bash scripts/services.sh status >/dev/null 2>&1; then
  started_services=1
fi
bash scripts/services.sh up || finish 1
progress "services up: PostgreSQL, Redis, S3 ($(since "$t"))"
check_stop

t=$SECONDS
node --conditions=source scripts/db-migrate.ts >"${LOCAL_DIR:-$REPO_ROOT/.local}/log/migrate.log" 2>&1 || {
  progress "migrations failed; see ${LOCAL_DIR:-.local}/log/migrate.log:"
  tail -n 20 "${LOCAL_DIR:-$REPO_ROOT/.local}/log/migrate.log" >&2
  finish 1
}
progress "migrations applied ($(since "$t"))"
check_stop

# In a terminal, the processes' output goes through the pretty printer; elsewhere as it is.
exec {fmt_fd}>&1
if [ -t 1 ] && [ -z "${DEV_LOG_JSON:-}" ]; then
  exec {fmt_fd}> >(exec node scripts/dev-logs.ts)
  fmt_pid=$!
fi

progress "starting api, worker and web (turbo)"
node_modules/.bin/turbo run dev --ui=stream --output-logs=full --env-mode=loose >&"$fmt_fd" 2>&1 &
dev_pid=$!
DEV_ELAPSED_S="$((SECONDS - t_all))" node --conditions=source scripts/dev-ready.ts &
ready_pid=$!

code=0
# `wait` returns early when a trapped signal arrives: keep waiting until turbo is gone, so the
# processes' orderly shutdown completes before the services stop.
while kill -0 "$dev_pid" 2>/dev/null; do
  wait "$dev_pid"
  code=$?
done
finish "$code"
