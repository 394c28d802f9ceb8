// The node's configuration files (pure): containerd, kubelet, kube-proxy and CNI, each a function
// of the node's paths and network. Written by `up`; tested as data.
import type { NodeNetwork } from './node-network.js';
import type { NodePaths } from './node-paths.js';

export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';
export const KUBE_PROXY_HEALTHZ_PORT = 10256;

/** containerd 2.x, config version 3: CRI with CDI, runc under cgroupfs, the node's CNI. */
export function containerdConfig(p: NodePaths, o: { runc: string; cniBinDir: string }): string {
  return `version = 3
root = ${q(p.containerdRoot)}
state = ${q(p.containerdState)}

[grpc]
  address = ${q(p.containerdSocket)}

[plugins.'io.containerd.cri.v1.images']
  snapshotter = 'overlayfs'
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    # Built here (there is no registry); pinned so image GC never takes it.
    sandbox = ${q(SANDBOX_IMAGE)}

[plugins.'io.containerd.cri.v1.runtime']
  # Root here lacks CAP_SYS_RESOURCE: lowering a child's oom_score_adj would fail every sandbox.
  restrict_oom_score_adj = true
  enable_cdi = true
  cdi_spec_dirs = ['/etc/cdi', '/var/run/cdi']
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = 'runc'
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = 'io.containerd.runc.v2'
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = ${q(o.runc)}
        # No systemd here: the kubelet's cgroupfs driver, and containerd must match it.
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = [${q(o.cniBinDir)}]
    conf_dir = ${q(p.cniConfDir)}
`;
}

/** KubeletConfiguration for this machine: cgroup v1 with cgroupfs, no swap check, no systemd. */
export function kubeletConfig(p: NodePaths, o: { caFile: string; maxPods: number }): Record<string, unknown> {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: o.caFile } },
    authorization: { mode: 'Webhook' },
    containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
    cgroupDriver: 'cgroupfs',
    // This machine is cgroup v1 (hybrid); 1.35+ refuses it unless told.
    failCgroupV1: false,
    cgroupsPerQOS: true,
    enforceNodeAllocatable: ['pods'],
    failSwapOn: false,
    tlsCertFile: p.kubeletCert,
    tlsPrivateKeyFile: p.kubeletKey,
    rotateCertificates: false,
    serverTLSBootstrap: false,
    volumePluginDir: p.volumePluginDir,
    maxPods: o.maxPods,
    // No registry to pull from again: images must never be collected.
    imageGCHighThresholdPercent: 100,
    serializeImagePulls: false,
    // A test machine's disk and memory run fuller than a server's; evict only near the end.
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'nodefs.inodesFree': '1%', 'imagefs.available': '1%' },
    // No systemd inhibitor locks to take.
    shutdownGracePeriod: '0s',
    kubeAPIQPS: 50,
    kubeAPIBurst: 100,
  };
}

/** kube-proxy in iptables mode inside the node's namespace; it leaves the host's sysctls alone. */
export function kubeProxyConfig(p: NodePaths, n: NodeNetwork, nodeName: string): Record<string, unknown> {
  return {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clientConnection: { kubeconfig: p.kubeProxyKubeconfig },
    hostnameOverride: nodeName,
    clusterCIDR: n.podCidr,
    bindAddress: n.nodeIp,
    // On the node's IP, so the host (and `up`) can reach them; NodePorts only there too.
    healthzBindAddress: `${n.nodeIp}:${KUBE_PROXY_HEALTHZ_PORT}`,
    metricsBindAddress: `${n.nodeIp}:10249`,
    nodePortAddresses: ['primary'],
    // conntrack limits are machine-wide sysctls: not the node's to change.
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
  };
}

/** One bridge network with host-local IPAM on the pod range; hostPort through portmap. */
export function cniConfig(p: NodePaths, n: NodeNetwork): Record<string, unknown> {
  return {
    cniVersion: '1.0.0',
    name: 'qvirt-pods',
    plugins: [
      {
        type: 'bridge',
        bridge: n.bridge,
        isGateway: true,
        // Pods reach the host (the apiserver) directly: the host routes the pod range back.
        ipMasq: false,
        hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: n.podCidr }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: p.cniIpamDir },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
}

const q = (s: string): string => {
  if (s.includes("'")) throw new Error(`containerd config: ${s} has a single quote, which a TOML literal string cannot hold`);
  return `'${s}'`;
};
