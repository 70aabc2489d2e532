#!/usr/bin/env bash
# `npm test`: everything CI checks, on a fresh clone. Provisions Node 24 and the Debian
# packages the tests need, installs dependencies if missing, starts the local services (and
# stops them again if it started them), then runs every check and prints a summary.
# Exit 0 only if all pass.
set -uo pipefail

# shellcheck source=scripts/lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"
# shellcheck source=scripts/lib/packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/packages.sh"
cd "$REPO_ROOT" || exit 1

ensure_node || exit 1
ensure_deps || exit 1
# Test tools from Debian: promtool (prometheus), shellcheck, docker-compose (offline `config`),
# chromium (browser tests). PostgreSQL and Redis are installed by services.sh when missing.
ensure_packages shellcheck prometheus docker-compose chromium || exit 1

started_services=""
if ! bash scripts/services.sh status >/dev/null 2>&1; then
  started_services=1
fi
bash scripts/services.sh up || exit 1
cleanup() {
  if [ -n "$started_services" ]; then bash scripts/services.sh down; fi
}
trap cleanup EXIT

mkdir -p artifacts
results=()
failed=0

# Each step runs in a process group of its own (job control), so SIGINT/SIGTERM reaches every
# process of the running step (jest's workers, the chaos suite's servers…) and nothing outlives
# this script; the remaining steps are skipped and the services this run started are stopped.
set -m
current=""
stop_signal=""
# shellcheck disable=SC2317 # runs from the traps below
on_stop() {
  stop_signal="$1"
  [ -n "$current" ] && kill "-$1" -- "-$current" 2>/dev/null
}
trap 'on_stop INT' INT
trap 'on_stop TERM' TERM

step() {
  local name="$1"
  shift
  local t0=$SECONDS rc=0
  [ -n "$stop_signal" ] && return
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  "$@" </dev/null &
  current=$!
  # `wait` returns early when a trapped signal arrives: wait until the step is really gone.
  while kill -0 "$current" 2>/dev/null; do
    wait "$current"
    rc=$?
  done
  current=""
  if [ "$rc" -eq 0 ]; then
    results+=("PASS  $name ($((SECONDS - t0)) s)")
  else
    results+=("FAIL  $name ($((SECONDS - t0)) s)")
    failed=$((failed + 1))
  fi
  if [ -n "$stop_signal" ]; then
    printf '%s received: remaining steps skipped\n' "$stop_signal" >&2
    [ "$stop_signal" = INT ] && exit 130
    exit 143
  fi
}

step "format (prettier --check)" npx prettier --check --log-level warn .
step "lint (eslint)" npx eslint --max-warnings=0 .
step "typecheck (tsc, every workspace)" npx turbo run typecheck --output-logs=errors-only
step "typecheck (repo scripts)" npx tsc -p tsconfig.json
step "shellcheck" shellcheck -x scripts/*.sh scripts/lib/*.sh infra/prometheus/check.sh .ci/run
step "env reference up to date (npm run env:docs -- --check)" node --conditions=source scripts/env-docs.ts --check
step "OpenAPI document up to date (npm run openapi -- --check)" node --conditions=source scripts/openapi.ts --check
step "OpenAPI lint (redocly lint, redocly.yaml)" env REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx redocly lint --format=stylish docs/openapi.json
step "deploy configs (npm run validate:deploy)" node scripts/validate-deploy/main.ts
step "module boundaries (npm run check:modules)" node scripts/check-module-boundaries.ts
step "tests (jest: shared, api, worker, scripts)" \
  node --experimental-vm-modules node_modules/jest/bin/jest.js --ci --json --outputFile=artifacts/jest.json

# After Jest, alone: its verdicts include "answered within N s", which a loaded machine would blur.
step "chaos (npm run test:chaos: 2 APIs + 3 workers, faults injected by pid)" node --conditions=source chaos/main.ts

step "browser tests (npm run test:e2e: api + worker + web in Chromium)" node --conditions=source test/e2e/run.ts

printf '\n\033[1m==> summary\033[0m\n'
printf '%s\n' "${results[@]}"
passed_tests=$(node -e 'try{const r=require("./artifacts/jest.json");console.log(r.numPassedTests)}catch{console.log(0)}')
failed_tests=$(node -e 'try{const r=require("./artifacts/jest.json");console.log(r.numFailedTests)}catch{console.log(0)}')
printf 'steps: %d passed, %d failed\n' "$((${#results[@]} - failed))" "$failed"
printf 'tests: %s passed, %s failed\n' "$passed_tests" "$failed_tests"
[ "$failed" -eq 0 ]
