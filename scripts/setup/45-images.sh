#!/usr/bin/env bash
# The container images (apps, pause) as docker-archive tarballs in $QVIRT_CACHE/images; a no-op
# when nothing they are built from has changed. See scripts/images.sh.
set -euo pipefail
exec bash "$(dirname "$0")/../images.sh" build
