// Where the node keeps its state on the host. The kubelet hard-codes some of these (device
// plugins, pod logs), so there is one node per machine; `down` removes all but the image store.

export interface NodePaths {
  /** Stack-owned node files: configs, certificates, the CNI config. */
  readonly dir: string;
  readonly containerdConfig: string;
  readonly containerdRoot: string;
  readonly containerdState: string;
  readonly containerdSocket: string;
  readonly kubeletRoot: string;
  readonly kubeletConfig: string;
  readonly kubeletKubeconfig: string;
  readonly kubeletCert: string;
  readonly kubeletKey: string;
  readonly kubeProxyConfig: string;
  readonly kubeProxyKubeconfig: string;
  readonly cniConfDir: string;
  readonly cniIpamDir: string;
  readonly volumePluginDir: string;
  /** The simulated QAT host the local overlay mounts into virt-handler (fixed: the overlay names it). */
  readonly qatHost: string;
  /** Host sysctls the kubelet sets, as they were before it started (restored by `down`). */
  readonly savedSysctls: string;
  /** Leftover paths the kubelet and CNI use whatever their settings say. */
  readonly fixed: readonly string[];
}

export function nodePaths(stackRoot: string): NodePaths {
  const dir = `${stackRoot}/node`;
  return {
    dir,
    containerdConfig: `${dir}/containerd.toml`,
    // Images survive `down` (there is no registry to pull them from again); nothing else does.
    containerdRoot: '/var/lib/qvirt/containerd',
    containerdState: '/run/containerd',
    containerdSocket: '/run/containerd/containerd.sock',
    kubeletRoot: '/var/lib/kubelet',
    kubeletConfig: `${dir}/kubelet.yaml`,
    kubeletKubeconfig: `${dir}/kubelet.kubeconfig`,
    kubeletCert: `${dir}/kubelet.crt`,
    kubeletKey: `${dir}/kubelet.key`,
    kubeProxyConfig: `${dir}/kube-proxy.yaml`,
    kubeProxyKubeconfig: `${dir}/kube-proxy.kubeconfig`,
    cniConfDir: `${dir}/cni`,
    cniIpamDir: '/var/lib/qvirt/cni-ipam',
    volumePluginDir: `${dir}/volume-plugins`,
    qatHost: '/var/lib/qvirt/qat-host',
    savedSysctls: `${dir}/sysctls.json`,
    fixed: ['/var/lib/kubelet', '/var/log/pods', '/var/log/containers', '/var/lib/cni', '/var/lib/qvirt/cni-ipam', '/run/containerd'],
  };
}
