#!/usr/bin/env bash
# Installs Debian packages the project needs when they are missing: as root with apt-get, as a
# user with password-less sudo through `sudo -n apt-get`; otherwise it prints the exact packages
# and the command to run, and fails (a script never waits at a password prompt).
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
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      {
        echo "[packages] missing Debian packages: ${missing[*]}"
        echo "[packages] install them (as root, or as a user allowed to sudo), then run this again:"
        echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
      } >&2
      return 1
    fi
  fi
  echo "[packages] installing ${missing[*]} with ${sudo[*]:+${sudo[*]} }apt-get" >&2
  if [ -z "$_apt_updated" ]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
    _apt_updated=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
