#!/usr/bin/env bash
# libvirt + QEMU for qvirt: one private libvirtd per VM (packages/libvirt/src/private-libvirtd.ts);
# qemu-img and xorrisofs, which the launcher runs for containerDisk overlays and cloud-init ISOs (its tests too).
# No systemd here: nothing below starts or enables a service; launchers start their own
# virtlogd/libvirtd inside a private mount namespace. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/common.sh

# libvirt-daemon-system brings the libvirt-qemu user, the default config files and
# virtlogd/libvirtd (from libvirt-daemon); its postinst tolerates a machine without systemd.
apt_install \
  libvirt-daemon-system libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libvirt0 \
  qemu-system-x86 qemu-utils \
  libxml2-utils busybox-static cpio util-linux xorriso

# The package normally creates these; a half-configured install (or a slim image) may not.
if ! getent group libvirt-qemu >/dev/null; then as_root groupadd --system libvirt-qemu; fi
if ! getent passwd libvirt-qemu >/dev/null; then
  as_root useradd --system --gid libvirt-qemu --home-dir /var/lib/libvirt \
    --no-create-home --shell /usr/sbin/nologin --comment 'Libvirt Qemu' libvirt-qemu
fi
if getent group kvm >/dev/null; then as_root usermod -a -G kvm libvirt-qemu; fi

# Fail here, with the missing piece named, rather than deep inside a test.
for bin in libvirtd virtlogd virsh virt-xml-validate xmllint qemu-system-x86_64 qemu-img xorrisofs unshare busybox cpio; do
  command -v "$bin" >/dev/null || [ -x "/usr/sbin/$bin" ] || { echo "missing after install: $bin" >&2; exit 1; }
done
[ -e /usr/lib/x86_64-linux-gnu/libvirt.so.0 ] || ldconfig -p | grep -q 'libvirt.so.0 ' \
  || { echo "missing after install: libvirt.so.0" >&2; exit 1; }
echo "libvirt $(libvirtd --version | awk '{print $NF}'), $(qemu-system-x86_64 --version | head -1)"
