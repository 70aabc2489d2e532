#!/usr/bin/env bash
# Runs a command with the project's Node (24, see .nvmrc) first on PATH and the dependencies
# installed: the wrapper for package.json scripts that run TypeScript with node directly
# (e.g. `npm run db:migrate`).
#
#   bash scripts/with-node.sh node --conditions=source scripts/db-migrate.ts
set -euo pipefail

# shellcheck source=scripts/lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"

ensure_node
ensure_deps
exec "$@"
