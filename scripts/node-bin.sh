#!/usr/bin/env bash
# Prints (as its last line of stdout) a directory holding containerd, containerd-shim-runc-v2,
# ctr and crictl for a real node (kubelet + containerd, ADR 0010).
#
# - Installs the Debian packages such a node runs with: runc, the CNI plugins (/usr/lib/cni),
#   iptables/ip6tables, iproute2, conntrack, ethtool, socat, util-linux (nsenter), kmod, nftables.
# - Builds containerd $CONTAINERD_VERSION and crictl $CRICTL_VERSION from Go modules once, into
#   $QVIRT_CACHE/node/containerd-<version>-<short hash of the build recipe>/bin/, and reuses them.
# Build progress and the versions go to stderr. Env: QVIRT_CACHE, GO (go binary).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib/common.sh"

go_bin="${GO:-go}"

# containerd 2.3 is the LTS branch containerd's release notes list as supported for Kubernetes 1.37.
CONTAINERD_VERSION=v2.3.7
# cri-tools releases follow Kubernetes minors; the proxy served v1.34.0 and v1.37.0 when this was
# pinned (`go list -m -versions sigs.k8s.io/cri-tools`): the newest v1.37.x. Pinned rather than
# looked up so a warm run needs no network.
CRICTL_VERSION=v1.37.0

cd_mod=github.com/containerd/containerd/v2
# Stamped like containerd's release build (Makefile: -X version.Version=$(git describe), i.e. the
# tag with its "v"). The CRI returns version.Version as RuntimeVersion, so it reports v2.3.7 and
# the kubelet shows containerRuntimeVersion containerd://2.3.7. version.Revision (the git commit
# in a release) is set at build time to the module's go.sum hash: the module proxy serves no
# commit id.
cd_ldflags="-X $cd_mod/version.Version=$CONTAINERD_VERSION -X $cd_mod/version.Package=$cd_mod -s -w"
# containerd and ctr: cgo on and PIE, as the release's dynamic build (Makefile.linux); the btrfs
# snapshotter is kept (it needs only linux/btrfs.h from linux-libc-dev), so no no_btrfs tag.
cd_tags="urfave_cli_no_docs"
# The shim: static without cgo and without the gRPC server (Makefile: SHIM_CGO_ENABLED=0, no_grpc).
shim_ldflags="$cd_ldflags -extldflags -static"
shim_tags="urfave_cli_no_docs no_grpc"
# crictl: hack/release.sh builds CGO_ENABLED=0 with -X version.Version=<tag>.
crictl_ldflags="-X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION"

node_pkgs=(runc containernetworking-plugins iptables iproute2 conntrack ethtool socat util-linux kmod nftables)
# Needed only to build: cgo for containerd/ctr (gcc, libc headers, linux/btrfs.h).
build_pkgs=(gcc libc6-dev linux-libc-dev)

# go_install NAME CGO TAGS LDFLAGS PKG@VERSION: builds one binary into $tmp_bin, timed.
go_install() {
  local name=$1 cgo=$2 tags=$3 ldflags=$4 pkg=$5 start=$SECONDS extra=()
  [ "$cgo" = 1 ] && extra=(-buildmode=pie)
  echo "node-bin: building $name ($pkg) ..." >&2
  CGO_ENABLED=$cgo GOBIN="$tmp_bin" "$go_bin" install -trimpath "${extra[@]}" -tags "$tags" -ldflags "$ldflags" "$pkg" >&2 \
    || { echo "node-bin: building $name from $pkg failed (output above)" >&2; exit 1; }
  echo "node-bin: $name built in $((SECONDS - start))s" | tee -a "$build_dir/build-times.txt" >&2
}

# build_bins: the four binaries into $build_dir/bin (caller holds the lock).
build_bins() {
  apt_install "${build_pkgs[@]}" >&2
  command -v "$go_bin" >/dev/null || { echo "node-bin: Go is needed to build containerd and crictl (not found: $go_bin)" >&2; exit 1; }
  local sum
  sum=$("$go_bin" mod download -json "$cd_mod@$CONTAINERD_VERSION" | sed -n 's/^\s*"Sum": "\(.*\)",\?$/\1/p') \
    || { echo "node-bin: go mod download $cd_mod@$CONTAINERD_VERSION failed" >&2; exit 1; }
  [ -n "$sum" ] || { echo "node-bin: go mod download gave no Sum for $cd_mod@$CONTAINERD_VERSION" >&2; exit 1; }
  local rev="-X $cd_mod/version.Revision=gomod-$sum"
  tmp_bin="$build_dir/bin.tmp"
  rm -rf "$tmp_bin" "$build_dir/build-times.txt"
  mkdir -p "$tmp_bin"
  go_install containerd 1 "$cd_tags" "$cd_ldflags $rev" "$cd_mod/cmd/containerd@$CONTAINERD_VERSION"
  go_install containerd-shim-runc-v2 0 "$shim_tags" "$shim_ldflags $rev" "$cd_mod/cmd/containerd-shim-runc-v2@$CONTAINERD_VERSION"
  go_install ctr 1 "$cd_tags" "$cd_ldflags $rev" "$cd_mod/cmd/ctr@$CONTAINERD_VERSION"
  go_install crictl 0 "" "$crictl_ldflags" "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"
  # Refuse an unstamped build rather than cache it.
  "$tmp_bin/containerd" --version | grep -q " $CONTAINERD_VERSION " \
    || { echo "node-bin: built containerd does not report $CONTAINERD_VERSION: $("$tmp_bin/containerd" --version)" >&2; exit 1; }
  rm -rf "$build_dir/bin"
  mv "$tmp_bin" "$build_dir/bin"
}

# The recipe: versions, flags and the build functions; any change builds into a new directory.
hash=$( { echo "$CONTAINERD_VERSION $CRICTL_VERSION"; echo "$cd_ldflags|$cd_tags|$shim_ldflags|$shim_tags|$crictl_ldflags";
          declare -f go_install build_bins; } | sha256sum | cut -c1-12)
build_dir="$QVIRT_CACHE/node/containerd-${CONTAINERD_VERSION#v}-$hash"

apt_install "${node_pkgs[@]}" >&2

# iptables backend: on this kernel (6.18, no loadable modules) both iptables-nft (Debian 12's
# default alternative) and iptables-legacy work, v4 and v6: kube-proxy-style rules (conntrack,
# statistic, recent, addrtype, MARK, DNAT, MASQUERADE --random-fully) load with -restore and DNAT
# and REJECT act on packets (tried in a private netns, 2026-12-03). So keep nft; switch to legacy
# only on a host whose kernel lacks nf_tables. kubelet, kube-proxy and the CNI plugins all call
# `iptables`, so one switch covers them. Checked only as root: iptables needs it, and so does a node.
if [ "$(id -u)" = 0 ] && ! { iptables -t nat -S >/dev/null 2>&1 && ip6tables -t nat -S >/dev/null 2>&1; }; then
  if iptables-legacy -t nat -S >/dev/null 2>&1 && ip6tables-legacy -t nat -S >/dev/null 2>&1; then
    echo "node-bin: $(readlink -f "$(command -v iptables)") does not work here; switching iptables/ip6tables to legacy" >&2
    update-alternatives --set iptables /usr/sbin/iptables-legacy >&2
    update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >&2
  else
    echo "node-bin: neither iptables-nft nor iptables-legacy can read the nat table (v4 and v6)" >&2; exit 1
  fi
fi

if [ ! -f "$build_dir/.complete" ]; then
  mkdir -p "$build_dir"
  # One build at a time per cache dir (setup and test workers may call this in parallel).
  exec 9>"$build_dir/.lock"
  flock 9
  if [ ! -f "$build_dir/.complete" ]; then
    echo "node-bin: building containerd $CONTAINERD_VERSION and crictl $CRICTL_VERSION into $build_dir (cold: a few minutes) ..." >&2
    start=$SECONDS
    build_bins
    touch "$build_dir/.complete"
    echo "node-bin: built in $((SECONDS - start))s" >&2
  fi
  flock -u 9
fi

bin="$build_dir/bin"
for b in containerd containerd-shim-runc-v2 ctr crictl; do
  [ -x "$bin/$b" ] || { echo "node-bin: $bin/$b missing although $build_dir/.complete exists; delete $build_dir" >&2; exit 1; }
done
{
  "$bin/containerd" --version
  "$bin/ctr" --version
  "$bin/crictl" --version
  "$(command -v runc || echo /usr/sbin/runc)" --version | head -n1
  echo "iptables: $(PATH=$PATH:/usr/sbin iptables --version)"
} >&2
echo "$bin"
