#!/usr/bin/env bash
# npm dependencies from the lockfile; skipped when node_modules matches it.
set -euo pipefail
cd "$(dirname "$0")/../.."
stamp=node_modules/.qvirt-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then echo "node_modules up to date"; exit 0; fi
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
