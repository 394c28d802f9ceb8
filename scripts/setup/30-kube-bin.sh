#!/usr/bin/env bash
# Builds (once, cached under $QVIRT_CACHE/kube/) the Kubernetes binaries the test
# environment runs: kube-apiserver, etcd, kube-scheduler, kube-controller-manager, kubectl.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/kube-bin.sh
