#!/usr/bin/env bash
# npm dependencies from the lockfile; skipped when node_modules matches it.
# A fresh checkout gets `npm ci`; an existing node_modules is brought up to date with
# `npm install` under the project's npm lock, so a running stack or test run in the same
# tree never sees node_modules vanish.
set -euo pipefail
cd "$(dirname "$0")/../.."
stamp=node_modules/.qvirt-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then echo "node_modules up to date"; exit 0; fi
if [ -d node_modules ]; then
  flock /tmp/qvirt-npm.lock npm install --no-audit --no-fund
else
  npm ci --no-audit --no-fund
fi
sha256sum package-lock.json | cut -d' ' -f1 > "$stamp"
