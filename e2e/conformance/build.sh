#!/usr/bin/env bash
# Builds the kubelet-side conformance harness once per source hash (go.mod,
# go.sum, *.go) into $QVIRT_CACHE/conformance/<hash>/conformance and prints
# that path. Used by scripts/setup/35-conformance.sh and by
# packages/device-plugin/test/conformance.int.test.ts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${QVIRT_CACHE:-$HOME/.cache/qvirt}
export PATH="$PATH:/usr/local/go/bin"
for d in "$cache"/go/*/go/bin; do [ -x "$d/go" ] && export PATH="$PATH:$d"; done
cd "$here"
key=$(export LC_ALL=C; cat go.mod go.sum $(ls *.go | sort) | sha256sum | cut -c1-16)
out="$cache/conformance/$key/conformance"
if [ ! -x "$out" ]; then
  command -v go >/dev/null || { echo "conformance: go not found; run scripts/setup/35-conformance.sh" >&2; exit 3; }
  mkdir -p "$(dirname "$out")"
  GOFLAGS=-buildvcs=false go build -mod=readonly -trimpath -o "$out.tmp.$$" .
  mv "$out.tmp.$$" "$out"
fi
echo "$out"
