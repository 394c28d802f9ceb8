#!/usr/bin/env bash
# Go toolchain (>= 1.24) and the device plugin conformance harness
# (e2e/conformance, k8s.io/kubelet v0.34.4 client), cached by source hash.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/common.sh

GO_VERSION=1.24.11
go_ok() {
  local v
  v=$(go env GOVERSION 2>/dev/null | sed 's/^go//') || return 1
  [ "$(printf '%s\n1.24\n' "$v" | sort -V | head -n1)" = "1.24" ]
}
export PATH="$PATH:/usr/local/go/bin:$QVIRT_CACHE/go/$GO_VERSION/go/bin"
if ! go_ok; then
  apt_install ca-certificates curl
  dir="$QVIRT_CACHE/go/$GO_VERSION"
  mkdir -p "$dir"
  tarball="go${GO_VERSION}.linux-$(dpkg --print-architecture).tar.gz"
  for url in "https://go.dev/dl/$tarball" "https://dl.google.com/go/$tarball"; do
    if curl -fsSL --retry 2 "$url" -o "$dir/$tarball.part"; then mv "$dir/$tarball.part" "$dir/$tarball"; break; fi
  done
  [ -f "$dir/$tarball" ] || { echo "need Go >= 1.24 (Debian 12 ships 1.19) and could not download $tarball from go.dev or dl.google.com" >&2; exit 1; }
  tar -xzf "$dir/$tarball" -C "$dir" && rm -f "$dir/$tarball"
  go_ok || { echo "Go $GO_VERSION unpacked to $dir but not usable" >&2; exit 1; }
fi
echo "go: $(go env GOVERSION)"
bash e2e/conformance/build.sh
