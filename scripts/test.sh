#!/bin/sh
# The README's test command (`npm test`): system packages, static checks, a production build,
# then every test. Tests run inside a private network namespace that has only loopback, so no
# test can reach anything but this machine (RECIPES.md: Chromium's WebRTC otherwise sends mDNS
# and calls Google hosts).
set -eu
cd "$(dirname "$0")/.."
sh scripts/ensure-system-deps.sh
npm run typecheck
npm run lint
npm run build
if [ "$(id -u)" != 0 ]; then
  echo "npm test needs root to create a loopback-only network namespace (unshare -n)." >&2
  exit 1
fi
exec unshare -n sh -c 'ip link set lo up && npx vitest run && npx playwright test'
