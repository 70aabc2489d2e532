#!/usr/bin/env bash
# `npm run test:prometheus`: the alert rules parse and lint clean, their unit tests pass
# (each alert fires and stays quiet when it should), and prometheus.yml is a valid config.
# Needs promtool (Debian: apt-get install prometheus; or PROMTOOL=/path/to/promtool).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
promtool="${PROMTOOL:-promtool}"
if ! command -v "$promtool" >/dev/null 2>&1; then
  echo "promtool not found: apt-get install prometheus (it ships promtool), or set PROMTOOL" >&2
  exit 1
fi
cd "$here"

"$promtool" check rules --lint=all --lint-fatal rules/*.yml
"$promtool" test rules tests/*.yml

# `check config` also opens credentials_file. Check a copy with a placeholder token, so the
# result does not depend on whether this machine holds the real one (secrets/ is ignored).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp prometheus.yml "$tmp/"
cp -r rules "$tmp/"
mkdir "$tmp/secrets"
printf 'placeholder' >"$tmp/secrets/metrics-token"
"$promtool" check config --lint=all --lint-fatal "$tmp/prometheus.yml"
