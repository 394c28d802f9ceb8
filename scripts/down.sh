#!/usr/bin/env bash
# npm run down: stop everything `npm run up` started (every container stopped with a grace period,
# so each launcher shuts its VM down over ACPI; then the node and the control plane), undo what the
# node changed on the host, and report anything left behind (exit 1).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then exec sudo -E env "PATH=$PATH" bash "$0" "$@"; fi
if [ ! -f e2e/dist/src/stack/main.js ]; then
  echo "e2e/dist/src/stack/main.js is missing (never built?); run: npx turbo run build --filter=@qvirt/e2e..." >&2
  exit 1
fi
node e2e/dist/src/stack/main.js down "$@"
