#!/usr/bin/env bash
# Prints (as its last line of stdout) a directory holding kube-apiserver, etcd,
# kube-scheduler, kube-controller-manager and kubectl for the real-Kubernetes test env.
#
# - KUBEBUILDER_ASSETS set and holding kube-apiserver + etcd: that directory is used;
#   any of the five missing there are provided as links to our build, in
#   $QVIRT_CACHE/kube/assets-<hash of the assets path>/.
# - otherwise tools/kube-bin (one multi-call Go binary) is built once into
#   $QVIRT_CACHE/kube/<k8s-version>-<short hash of go.sum + sources>/ and reused.
# Build progress goes to stderr. Env: QVIRT_CACHE, KUBEBUILDER_ASSETS, GO (go binary).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib/common.sh"

src="$root/tools/kube-bin"
components=(kube-apiserver etcd kube-scheduler kube-controller-manager kubectl kubelet kube-proxy)
go_bin="${GO:-go}"

k8s_version=$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2; exit }' "$src/go.mod")
[ -n "$k8s_version" ] || { echo "kube-bin: no k8s.io/kubernetes version in $src/go.mod" >&2; exit 1; }
minor=${k8s_version#v1.}; minor=${minor%%.*}
# Stamp the release like Kubernetes' own build (hack/lib/version.sh), so /version and
# `kubectl version` report v1.x.y instead of v0.0.0-master.
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
# go.sum pins every dependency; the Go sources, go.mod and the link flags decide what is built.
hash=$( (cat "$src/go.sum" "$src/go.mod" "$src"/*.go; echo "$ldflags") | sha256sum | cut -c1-12)
build_dir="$QVIRT_CACHE/kube/$k8s_version-$hash"

# build_multicall: builds the multi-call binary into $build_dir unless it is there already.
build_multicall() {
  if [ -x "$build_dir/kube-bin" ] && [ -f "$build_dir/.complete" ]; then return 0; fi
  command -v "$go_bin" >/dev/null || { echo "kube-bin: Go is needed to build $src (not found: $go_bin)" >&2; exit 1; }
  mkdir -p "$build_dir"
  # One build at a time per cache dir (parallel test workers may call this).
  exec 9>"$build_dir/.lock"
  flock 9
  if [ ! -f "$build_dir/.complete" ]; then
    echo "kube-bin: building $k8s_version multi-call binary into $build_dir (cold build takes many minutes) ..." >&2
    local start=$SECONDS
    (cd "$src" && "$go_bin" build -trimpath -ldflags="$ldflags" -o "$build_dir/kube-bin.tmp" .) >&2
    mv -f "$build_dir/kube-bin.tmp" "$build_dir/kube-bin"
    for c in "${components[@]}"; do ln -sfn kube-bin "$build_dir/$c"; done
    touch "$build_dir/.complete"
    echo "kube-bin: built in $((SECONDS - start))s" >&2
  fi
  flock -u 9
}

if [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/kube-apiserver" ] && [ -x "$KUBEBUILDER_ASSETS/etcd" ]; then
  assets="$(cd "$KUBEBUILDER_ASSETS" && pwd)"
  missing=()
  for c in "${components[@]}"; do [ -x "$assets/$c" ] || missing+=("$c"); done
  if [ ${#missing[@]} -eq 0 ]; then echo "$assets"; exit 0; fi
  build_multicall
  # A directory of links: the assets' binaries, plus ours for the missing ones.
  mix="$QVIRT_CACHE/kube/assets-$(printf '%s|%s' "$assets" "$hash" | sha256sum | cut -c1-12)"
  mkdir -p "$mix"
  for c in "${components[@]}"; do
    if [ -x "$assets/$c" ]; then ln -sfn "$assets/$c" "$mix/$c"; else ln -sfn "$build_dir/kube-bin" "$mix/$c"; fi
  done
  echo "$mix"
  exit 0
fi

build_multicall
echo "$build_dir"
