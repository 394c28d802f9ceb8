# The four qvirt images from one build; pick one with --target, from the repository root:
#   docker build --target virt-api -t qvirt/virt-api:dev .
# (Unbuilt here: this machine has no Docker engine.)
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# koffi ships prebuilt binaries; python3/make/g++ only in case npm has to build a native module.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY apps ./apps
COPY e2e/package.json ./e2e/package.json
COPY bench/package.json ./bench/package.json
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --filter='./apps/*...' \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages

FROM runtime AS virt-api
COPY --from=build /src/apps/virt-api ./apps/virt-api
# The image's `node` user (uid 1000): virt-api needs no privileges.
USER 1000:1000
EXPOSE 8443
ENTRYPOINT ["node", "/app/apps/virt-api/bin/virt-api.js"]
CMD ["serve"]

FROM runtime AS virt-controller
COPY --from=build /src/apps/virt-controller ./apps/virt-controller
USER 1000:1000
ENTRYPOINT ["node", "/app/apps/virt-controller/bin/virt-controller.js"]

FROM runtime AS virt-handler
# libvirt0: the C library virt-handler calls over FFI (koffi) to reach each launcher's libvirtd.
RUN apt-get update && apt-get install -y --no-install-recommends libvirt0 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/apps/virt-handler ./apps/virt-handler
# Runs as root (privileged DaemonSet, as KubeVirt's handler): vfio binding, kubelet sockets.
ENTRYPOINT ["/app/apps/virt-handler/bin/virt-handler.js"]

FROM runtime AS virt-launcher
# The launcher runs its own libvirtd + QEMU inside the pod (KubeVirt's layout); util-linux for setpriv.
RUN apt-get update && apt-get install -y --no-install-recommends \
      libvirt-daemon-driver-qemu libvirt-daemon libvirt0 qemu-system-x86 util-linux \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/apps/virt-launcher ./apps/virt-launcher
# Not privileged: root inside the container, devices through device plugins (ADR 0007). The bin's
# shebang carries the launcher's node flags, so it is the entrypoint itself.
ENTRYPOINT ["/app/apps/virt-launcher/bin/virt-launcher.js"]
