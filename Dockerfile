# The four qvirt images from one build; pick one with --target. Built here without a Docker engine by
# scripts/images.sh (buildah bud --layers --target <app>), which first makes the two base images:
#   BASE_IMAGE   Debian bookworm minbase (mmdebstrap) + Node.js 24 at /usr/local/bin/node, user node (1000)
#   BUILD_IMAGE  BASE_IMAGE + npm/npx and the Node headers (node-gyp needs no download)
# By hand, from the repository root, once those exist:
#   buildah bud --layers --isolation chroot --target virt-api -t localhost/qvirt/virt-api:0.1.0 .
ARG BASE_IMAGE=localhost/qvirt/base:0.1.0
ARG BUILD_IMAGE=localhost/qvirt/base-build:0.1.0

FROM ${BUILD_IMAGE} AS build
# A CA bundle for npm's TLS where the network needs one (a TLS-inspecting proxy): scripts/images.sh
# mounts the host's into RUN steps and points this at it. Empty by default; not in the app images.
ARG NODE_EXTRA_CA_CERTS=
WORKDIR /src
# koffi ships prebuilt binaries; python3/make/g++ only in case npm has to build a native module.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY apps ./apps
COPY e2e/package.json ./e2e/package.json
COPY bench/package.json ./bench/package.json
# Type declarations and source maps are half of node_modules and nothing reads them at run time.
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --filter='./apps/*...' \
 && npm prune --omit=dev --no-audit --no-fund \
 && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.[cm]ts' -o -name '*.map' \) -delete

# virt-api and virt-controller share these layers. virt-handler and virt-launcher install their Debian
# packages first and copy the same files after, so a code change does not re-run their apt-get.
FROM ${BASE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages

FROM runtime AS virt-api
COPY --from=build /src/apps/virt-api ./apps/virt-api
# Each app's bin on PATH, as in its package.json.
RUN ln -s /app/apps/virt-api/bin/virt-api.js /usr/local/bin/virt-api
# The image's `node` user (uid 1000): virt-api needs no privileges.
USER 1000:1000
EXPOSE 8443
ENTRYPOINT ["node", "/app/apps/virt-api/bin/virt-api.js"]
CMD ["serve"]

FROM runtime AS virt-controller
COPY --from=build /src/apps/virt-controller ./apps/virt-controller
RUN ln -s /app/apps/virt-controller/bin/virt-controller.js /usr/local/bin/virt-controller
USER 1000:1000
ENTRYPOINT ["node", "/app/apps/virt-controller/bin/virt-controller.js"]

FROM ${BASE_IMAGE} AS virt-handler
# libvirt0: the C library virt-handler calls over FFI (koffi) to reach each launcher's libvirtd;
# iproute2, nftables and iptables for the node's network work.
RUN apt-get update && apt-get install -y --no-install-recommends libvirt0 iproute2 nftables iptables \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /app/apps/virt-handler/bin/virt-handler.js /usr/local/bin/virt-handler
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
COPY --from=build /src/apps/virt-handler ./apps/virt-handler
# Runs as root (privileged DaemonSet, as KubeVirt's handler): vfio binding, kubelet sockets.
ENTRYPOINT ["/app/apps/virt-handler/bin/virt-handler.js"]

FROM ${BASE_IMAGE} AS virt-launcher
# The launcher runs its own libvirtd + QEMU inside the pod (KubeVirt's layout); util-linux for setpriv;
# qemu-utils (qemu-img) and xorriso for disk images and cloud-init ISOs; busybox-static, which the
# launcher pod's init container hands to its containerDisk containers (their images hold only a
# disk: ADR 0014). On PATH: the launcher pod's command is ["virt-launcher", "--vmi-uid", ...].
RUN apt-get update && apt-get install -y --no-install-recommends \
      libvirt-daemon-driver-qemu libvirt-daemon libvirt0 qemu-system-x86 qemu-utils xorriso util-linux busybox-static \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /app/apps/virt-launcher/bin/virt-launcher.js /usr/local/bin/virt-launcher \
 # libvirt's QEMU driver resolves its compiled-in default user before it reads qemu.conf (which
 # says root): without libvirt-daemon-system nothing creates that user, and libvirtd fails to start.
 && groupadd --system libvirt-qemu \
 && useradd --system --gid libvirt-qemu --home-dir /var/lib/libvirt --no-create-home --shell /usr/sbin/nologin libvirt-qemu
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
COPY --from=build /src/apps/virt-launcher ./apps/virt-launcher
# Not privileged: root inside the container, devices through device plugins (ADR 0007). The bin's
# shebang carries the launcher's node flags, so it is the entrypoint itself.
ENTRYPOINT ["/app/apps/virt-launcher/bin/virt-launcher.js"]
