#!/usr/bin/env bash
# TypeScript build of every workspace (turbo caches unchanged packages).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx turbo run build --output-logs=errors-only
