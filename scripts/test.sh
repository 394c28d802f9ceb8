#!/usr/bin/env bash
# npm test: set everything up, check formatting, types and lint, then run every suite
# (unit, then the packages' and apps' integration suites, then the end-to-end suites).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc --version >/dev/null
npx prettier --check .   # formatting first: seconds, and no point testing code that will be reformatted
npx turbo run typecheck --output-logs=errors-only
npx tsc -p tsconfig.json   # the root's own files: vitest.config.ts, test/
npx eslint .
npx vitest run --project unit
npx vitest run --project integration
npx vitest run --project e2e
