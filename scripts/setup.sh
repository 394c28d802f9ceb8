#!/usr/bin/env bash
# Sets up everything qvirt needs on a fresh Debian machine (Node >= 20, root or sudo).
# Idempotent: each step checks before it acts, so a second run costs seconds.
# Steps live in scripts/setup/NN-*.sh and run in name order.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

for step in scripts/setup/[0-9][0-9]-*.sh; do
  name=$(basename "$step" .sh)
  run_step "setup ${name#??-}" bash "$step"
done
