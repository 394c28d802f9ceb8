import { describe, expect, it } from 'vitest';
import { cniConfig, containerdConfig, kubeletConfig, kubeProxyConfig, SANDBOX_IMAGE } from './node-configs.js';
import { inNodeNetns, NODE_NETWORK, nodeNetworkDown, nodeNetworkUp } from './node-network.js';
import { nodePaths } from './node-paths.js';

const p = nodePaths('/repo/.stack');
const n = NODE_NETWORK;

describe('node configs', () => {
  it('containerd: config v3, CRI on cgroupfs with CDI, the pinned local sandbox image, the stack’s CNI dir', () => {
    const toml = containerdConfig(p, { runc: '/usr/sbin/runc', cniBinDir: '/usr/lib/cni' });
    expect(toml).toMatch(/^version = 3$/m);
    expect(toml).toContain(`address = '${p.containerdSocket}'`);
    expect(toml).toContain(`sandbox = '${SANDBOX_IMAGE}'`);
    for (const line of [
      'restrict_oom_score_adj = true',
      'enable_cdi = true',
      'SystemdCgroup = false',
      "BinaryName = '/usr/sbin/runc'",
      "bin_dirs = ['/usr/lib/cni']",
      `conf_dir = '${p.cniConfDir}'`,
    ])
      expect(toml).toContain(line);
    expect(() => containerdConfig({ ...p, containerdRoot: "/var/lib/o'brien" }, { runc: '/r', cniBinDir: '/c' })).toThrow(/single quote/);
  });

  it('kubelet: cgroupfs on cgroup v1, webhook authn/z with the cluster CA, no image GC', () => {
    const c = kubeletConfig(p, { caFile: '/pki/ca.crt', maxPods: 250 });
    expect(c).toMatchObject({
      cgroupDriver: 'cgroupfs',
      failCgroupV1: false,
      failSwapOn: false,
      containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
      authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/pki/ca.crt' } },
      authorization: { mode: 'Webhook' },
      imageGCHighThresholdPercent: 100,
      maxPods: 250,
      tlsCertFile: p.kubeletCert,
    });
  });

  it('kube-proxy: iptables on the node IP, cluster CIDR the pod range, machine-wide conntrack sysctls untouched', () => {
    const c = kubeProxyConfig(p, n, 'node-a');
    expect(c).toMatchObject({
      mode: 'iptables',
      hostnameOverride: 'node-a',
      clusterCIDR: n.podCidr,
      bindAddress: n.nodeIp,
      healthzBindAddress: `${n.nodeIp}:10256`,
      nodePortAddresses: ['primary'],
    });
    expect(c['conntrack']).toEqual({ maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' });
  });

  it('CNI: one bridge with host-local IPAM on the pod range, no masquerade, portmap', () => {
    const c = cniConfig(p, n) as { plugins: { type: string; bridge?: string; ipMasq?: boolean; ipam?: { ranges: { subnet: string }[][] } }[] };
    expect(c.plugins.map((x) => x.type)).toEqual(['bridge', 'portmap']);
    expect(c.plugins[0]).toMatchObject({ bridge: 'cni0', ipMasq: false, ipam: { ranges: [[{ subnet: n.podCidr }]] } });
  });
});

describe('node network plan', () => {
  it('creates the namespace and veth pair, routes pods and Services via the node, and sets sysctls only in the namespace', () => {
    const up = nodeNetworkUp(n).map((c) => c.argv.join(' '));
    expect(up[0]).toBe('ip netns add qvirt-node');
    expect(up).toContain(`ip route add ${n.podCidr} via ${n.nodeIp} dev ${n.hostIf}`);
    expect(up).toContain(`ip route add ${n.serviceCidr} via ${n.nodeIp} dev ${n.hostIf}`);
    // Every sysctl runs inside the namespace: the host's ip_forward is never touched.
    for (const c of up.filter((x) => x.includes('sysctl'))) expect(c.startsWith('ip netns exec qvirt-node ')).toBe(true);
  });

  it('tears down what it made, tolerating an absent piece', () => {
    expect(nodeNetworkDown(n).every((c) => c.mayFail)).toBe(true);
    expect(nodeNetworkDown(n).map((c) => c.argv.join(' '))).toEqual(['ip link del qvirt-host0', 'ip netns del qvirt-node']);
  });

  it('runs node processes in the namespace’s network only (not ip netns exec: that also unshares mounts)', () => {
    expect(inNodeNetns(n, ['kubelet', '--v=1'])).toEqual(['nsenter', '--net=/run/netns/qvirt-node', '--', 'kubelet', '--v=1']);
  });
});
