#!/usr/bin/env bash
# Installs Debian packages the project needs when they are missing: as root with apt-get,
# otherwise it prints the exact command to run and fails.
# shellcheck shell=bash

_apt_updated=""

ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "[packages] missing: ${missing[*]}. This script installs them with apt-get on Debian/Ubuntu; on other systems install them with your package manager." >&2
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "[packages] missing: ${missing[*]}. Run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    return 1
  fi
  echo "[packages] installing ${missing[*]} with apt-get" >&2
  if [ -z "$_apt_updated" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
    _apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
