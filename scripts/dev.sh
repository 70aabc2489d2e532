#!/usr/bin/env bash
# `npm run dev`: the whole stack locally, on a fresh clone. Provisions Node 24, installs
# dependencies if missing, starts PostgreSQL/Redis/S3 (scripts/services.sh), applies
# migrations, then runs every workspace's dev process with prefixed output (turbo).
# Ctrl-C or SIGTERM stops the dev processes and the services this script started.
set -uo pipefail

# shellcheck source=scripts/lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"
cd "$REPO_ROOT" || exit 1

ensure_node || exit 1
ensure_deps || exit 1

if [ ! -f .env ]; then
  # The example holds working local values for every required variable.
  cp .env.example .env
  echo "[dev] created .env from .env.example (local defaults; edit it to point elsewhere)" >&2
fi
# The dev login (any email signs in, stack traces in 500 bodies) is an explicit opt-in that the
# API accepts only on loopback and never in production: written here, for local use only.
# Set DEV_LOGIN_ENABLED=false in .env to turn it off (the line is then left alone).
if ! grep -qE '^[[:space:]]*DEV_LOGIN_ENABLED=' .env; then
  printf '\n# Written by npm run dev: local dev login (loopback only, refused in production).\nDEV_LOGIN_ENABLED=true\n' >> .env
  echo "[dev] .env: DEV_LOGIN_ENABLED=true (local dev login; set it to false to turn it off)" >&2
fi

started_services=""
if ! bash scripts/services.sh status >/dev/null 2>&1; then
  started_services=1
fi
bash scripts/services.sh up || exit 1

dev_pid=""
stopping=""
stop_all() {
  [ -n "$stopping" ] && return
  stopping=1
  if [ -n "$dev_pid" ] && kill -0 "$dev_pid" 2>/dev/null; then
    echo "[dev] stopping dev processes (pid $dev_pid)" >&2
    # turbo forwards the signal to every task it started and waits for them.
    kill -INT "$dev_pid" 2>/dev/null || true
    wait "$dev_pid" 2>/dev/null || true
  fi
  if [ -n "$started_services" ]; then bash scripts/services.sh down; fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

echo "[dev] applying migrations" >&2
node --conditions=source scripts/db-migrate.ts || exit 1

echo "[dev] starting api (:4000), worker (:4001) and web (:3000); Ctrl-C stops everything" >&2
npx turbo run dev --ui=stream --output-logs=full &
dev_pid=$!
wait "$dev_pid"
