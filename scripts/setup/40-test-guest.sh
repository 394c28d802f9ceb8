#!/usr/bin/env bash
# The small test guest, one that really boots here under QEMU's emulation: Debian's cloud kernel plus
# a busybox initramfs whose /init prints QVIRT-GUEST-BOOTED on ttyS0 and powers off on the ACPI
# power button. Built once into $QVIRT_CACHE/guest/<kernel-version>/, installed to
# /var/lib/qvirt/images/qvirt-test-guest/{vmlinuz,initrd.img} (world-readable).
# QVIRT_GUEST_KERNEL=<ver> (e.g. 6.1.0-56-cloud-amd64) pins the kernel; default: what
# linux-image-cloud-amd64 depends on in the apt cache. Idempotent; a second run only compares files.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/common.sh

DEST=/var/lib/qvirt/images/qvirt-test-guest
MARKER=QVIRT-GUEST-BOOTED

# /init of the guest. Changing it changes the recipe hash, which forces a rebuild.
read -r -d '' GUEST_INIT <<'INIT' || true
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /bin /sbin /usr/bin /usr/sbin /tmp
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
# evdev gives /dev/input/eventN, button turns the ACPI power button into one: without both
# the guest ignores virDomainShutdown.
insmod /lib/modules/evdev.ko
insmod /lib/modules/button.ko
dev=
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  for e in /sys/class/input/event*; do
    # devtmpfs creates the node a little after the sysfs entry appears.
    [ "$(cat "$e/device/name" 2>/dev/null)" = "Power Button" ] && [ -c "/dev/input/${e##*/}" ] \
      && dev=/dev/input/${e##*/} && break 2
  done
  sleep 0.1
done
if [ -n "$dev" ]; then
  # The reader opens the device before the marker is printed: an ACPI press that arrives while
  # nobody holds the device open is dropped by evdev. evdev rejects reads shorter than one
  # event (24 bytes), so read a 64-byte block; power off only once bytes really arrived.
  ( exec 3<"$dev"
    echo QVIRT-GUEST-BOOTED
    until [ "$(dd bs=64 count=1 <&3 2>/dev/null | wc -c)" -gt 0 ]; do sleep 0.2; done
    echo QVIRT-GUEST-POWEROFF; poweroff -f ) &
else
  echo "QVIRT-GUEST-NO-POWER-BUTTON"
  echo QVIRT-GUEST-BOOTED
fi
while true; do sleep 3600; done
INIT

kernel_version() {
  if [ -n "${QVIRT_GUEST_KERNEL:-}" ]; then echo "$QVIRT_GUEST_KERNEL"; return; fi
  local dep
  dep=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
  if [ -z "$dep" ]; then
    as_root apt-get update -qq
    dep=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
  fi
  [ -n "$dep" ] || { echo "apt-cache offers no linux-image-cloud-amd64; set QVIRT_GUEST_KERNEL" >&2; exit 1; }
  echo "${dep#linux-image-}"
}

recipe_hash=$( { echo "$GUEST_INIT"; dpkg-query -W -f='${Version}' busybox-static; } | sha256sum | cut -c1-16)

# Fast path: installed images come from a finished cache entry with this recipe.
if [ -f "$DEST/.source" ]; then
  src=$(cat "$DEST/.source")
  if [ -f "$src/.done" ] && [ "$(cat "$src/.done")" = "$recipe_hash" ] \
     && cmp -s "$src/vmlinuz" "$DEST/vmlinuz" && cmp -s "$src/initrd.img" "$DEST/initrd.img" \
     && [ -z "${QVIRT_GUEST_KERNEL:-}" -o "$src" = "$QVIRT_CACHE/guest/${QVIRT_GUEST_KERNEL:-}" ]; then
    echo "test guest up to date: $src"; exit 0
  fi
fi

apt_install busybox-static cpio qemu-system-x86
KVER=$(kernel_version)
CACHE="$QVIRT_CACHE/guest/$KVER"
mkdir -p "$CACHE"

if [ ! -f "$CACHE/.done" ] || [ "$(cat "$CACHE/.done")" != "$recipe_hash" ]; then
  work=$(mktemp -d)
  chmod 0755 "$work"   # apt-get download runs as _apt when it can
  trap 'rm -rf "$work"' EXIT
  if [ ! -s "$CACHE/vmlinuz" ] || [ ! -s "$CACHE/evdev.ko" ] || [ ! -s "$CACHE/button.ko" ]; then
    (cd "$work" && apt-get download -q "linux-image-$KVER")
    dpkg-deb -x "$work"/linux-image-"$KVER"_*.deb "$work/kernel"
    cp "$work/kernel/boot/vmlinuz-$KVER" "$CACHE/vmlinuz"
    for m in drivers/input/evdev drivers/acpi/button; do
      f=$(ls "$work/kernel/lib/modules/$KVER/kernel/$m".ko* | head -1)
      case "$f" in
        *.ko.xz) xz -dc "$f" >"$CACHE/$(basename "$m").ko" ;;
        *.ko.zst) zstd -dcq "$f" >"$CACHE/$(basename "$m").ko" ;;
        *) cp "$f" "$CACHE/$(basename "$m").ko" ;;
      esac
    done
    rm -rf "$work/kernel" "$work"/*.deb
  fi
  root="$work/root"
  mkdir -p "$root/bin" "$root/lib/modules" "$root/dev" "$root/proc" "$root/sys"
  cp /bin/busybox "$root/bin/busybox"
  cp "$CACHE/evdev.ko" "$CACHE/button.ko" "$root/lib/modules/"
  printf '%s\n' "$GUEST_INIT" >"$root/init"
  chmod 0755 "$root/init" "$root/bin/busybox"
  (cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -9n) >"$CACHE/initrd.img.tmp"
  mv "$CACHE/initrd.img.tmp" "$CACHE/initrd.img"

  # Smoke boot with plain QEMU (emulation, as everywhere here): marker, then ACPI power-off.
  serial="$work/serial.log"
  mkfifo "$work/monitor"
  start=$(date +%s.%N)
  timeout 180 qemu-system-x86_64 -machine pc,accel=tcg -m 128 -smp 1 -nodefaults -display none \
    -kernel "$CACHE/vmlinuz" -initrd "$CACHE/initrd.img" -append 'console=ttyS0 quiet' \
    -serial "file:$serial" -monitor stdio <"$work/monitor" >"$work/qemu.out" 2>&1 &
  qpid=$!
  exec 3>"$work/monitor"
  for _ in $(seq 1 1200); do
    grep -q "$MARKER" "$serial" 2>/dev/null && break
    kill -0 "$qpid" 2>/dev/null || break
    sleep 0.1
  done
  booted=$(date +%s.%N)
  grep -q "$MARKER" "$serial" 2>/dev/null || {
    echo "test guest did not print $MARKER; qemu and console output:" >&2; cat "$work/qemu.out" "$serial" >&2
    kill "$qpid" 2>/dev/null; exit 1; }
  sleep 1   # nothing may power the guest off but the button: give a broken reader time to show
  grep -q QVIRT-GUEST-NO-POWER-BUTTON "$serial" && { echo "test guest found no Power Button input device; console:" >&2; cat "$serial" >&2; exit 1; }
  grep -q QVIRT-GUEST-POWEROFF "$serial" && { echo "test guest powered off without the button; console:" >&2; cat "$serial" >&2; exit 1; }
  pressed=$(date +%s.%N)
  echo system_powerdown >&3 || true
  wait "$qpid" || true   # QEMU exits on the guest's power-off; timeout ends one that ignores it
  exec 3>&-
  end=$(date +%s.%N)
  grep -q QVIRT-GUEST-POWEROFF "$serial" || { echo "test guest ignored the power button; console:" >&2; cat "$serial" >&2; exit 1; }
  awk -v s="$start" -v b="$booted" -v p="$pressed" -v e="$end" \
    'BEGIN { printf "smoke boot (TCG, plain qemu): marker after %.1f s, ACPI power-off to exit %.1f s\n", b - s, e - p }'

  echo "$recipe_hash" >"$CACHE/.done"
fi

as_root install -d -m 0755 /var/lib/qvirt /var/lib/qvirt/images "$DEST"
as_root install -m 0644 "$CACHE/vmlinuz" "$DEST/vmlinuz"
as_root install -m 0644 "$CACHE/initrd.img" "$DEST/initrd.img"
echo "$CACHE" | as_root tee "$DEST/.source" >/dev/null
echo "test guest $KVER installed to $DEST"
