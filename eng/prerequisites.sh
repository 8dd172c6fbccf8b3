#!/usr/bin/env bash
# Checks the machine programs the graph runs and installs the missing ones with apt when running as root;
# otherwise prints the exact command to run. Called by the AppHost and test builds; safe to run by hand.
# --browser: also Chromium, which the operator console's browser tests drive (Playwright with Debian's package).
set -euo pipefail

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || missing+=(postgresql)
command -v redis-server > /dev/null || missing+=(redis-server)
command -v ffmpeg > /dev/null || missing+=(ffmpeg)
command -v espeak-ng > /dev/null || missing+=(espeak-ng)
command -v setpriv > /dev/null || missing+=(util-linux)
if [ "${1:-}" = "--browser" ]; then
  command -v chromium > /dev/null || missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
  echo "CallPipeline: installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
  # The Debian package starts cluster services the graph does not use; the AppHost runs its own servers.
  if command -v service > /dev/null; then
    service postgresql stop > /dev/null 2>&1 || true
    service redis-server stop > /dev/null 2>&1 || true
  fi
  echo "CallPipeline: installed ${missing[*]}"
else
  echo "CallPipeline: missing ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
fi
