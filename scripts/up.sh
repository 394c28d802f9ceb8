#!/usr/bin/env bash
# npm run up: set up this machine (idempotent), then start the local stack (.stack/): etcd,
# kube-apiserver, kube-scheduler, kube-controller-manager, and a real node (containerd, kubelet,
# kube-proxy in the network namespace qvirt-node); install qvirt with
# `kubectl apply -k deploy/overlays/local`, apply the example VMIs and leave it all running.
# Re-running is safe: a running stack is detected, a broken one is stopped and started again.
# `npm run down` stops it. Needs root (or sudo): network namespaces, mounts, cgroups.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then exec sudo -E env "PATH=$PATH" bash "$0" "$@"; fi
source scripts/lib/common.sh
start=$SECONDS
bash scripts/setup.sh
# The stack's own steps print like run_step; their logs are under .stack/logs/.
node e2e/dist/src/stack/main.js up "$@"
echo "(setup + stack: $((SECONDS - start))s)"
