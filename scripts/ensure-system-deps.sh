#!/bin/sh
# Installs the Debian packages the tests need when they are missing: Chromium for the end-to-end
# tests (no browser download works here) and redis-server for the multi-instance signaling
# tests. Needs root (CI and the dev machines run as root); does nothing when all are present.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
command -v unshare >/dev/null 2>&1 || missing="$missing util-linux"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Missing system packages:$missing — install them as root (apt-get install -y$missing)." >&2
  exit 1
fi
echo "Installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
