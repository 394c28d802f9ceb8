#!/usr/bin/env bash
# The node's container runtime: Debian's runc, CNI plugins and network tools, plus containerd
# 2.3.7 (with its runc shim and ctr) and crictl built once from Go modules and cached under
# $QVIRT_CACHE/node/ (scripts/node-bin.sh). A second run takes well under a second.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/node-bin.sh
