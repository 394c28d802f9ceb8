// The node's network (pure): a network namespace `qvirt-node` joined to the host by one veth pair.
// The node's IP is the namespace's end of the pair; pods sit on a bridge inside the namespace; the
// host reaches pod and Service addresses through routes via the node. Nothing uses the machine's
// external interface, and what the node's iptables rules change lives and dies with the namespace.

export interface NodeNetwork {
  readonly netns: string;
  /** The host's end of the veth pair and its address (the apiserver binds here). */
  readonly hostIf: string;
  readonly hostIp: string;
  /** The namespace's end (renamed eth0 inside) and the node's InternalIP. */
  readonly nodeIf: string;
  readonly nodeIp: string;
  readonly prefixLength: number;
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** The CNI bridge inside the namespace. */
  readonly bridge: string;
}

export const NODE_NETWORK: NodeNetwork = {
  netns: 'qvirt-node',
  hostIf: 'qvirt-host0',
  hostIp: '10.213.0.1',
  nodeIf: 'qvirt-node0',
  nodeIp: '10.213.0.2',
  prefixLength: 30,
  podCidr: '10.244.0.0/24',
  serviceCidr: '10.96.0.0/16',
  bridge: 'cni0',
};

/** One command of a plan: argv, and whether a failure is expected and harmless (teardown). */
export interface NetCommand {
  readonly argv: readonly string[];
  readonly mayFail?: boolean;
}

const inNs = (n: NodeNetwork, ...argv: string[]): NetCommand => ({ argv: ['ip', 'netns', 'exec', n.netns, ...argv] });

/** Creates the namespace, the pair, addresses, routes both ways, and the namespace's own sysctls. */
export function nodeNetworkUp(n: NodeNetwork): NetCommand[] {
  const cidr = (ip: string) => `${ip}/${n.prefixLength}`;
  return [
    { argv: ['ip', 'netns', 'add', n.netns] },
    { argv: ['ip', 'link', 'add', n.hostIf, 'type', 'veth', 'peer', 'name', n.nodeIf] },
    { argv: ['ip', 'link', 'set', n.nodeIf, 'netns', n.netns] },
    { argv: ['ip', 'addr', 'add', cidr(n.hostIp), 'dev', n.hostIf] },
    { argv: ['ip', 'link', 'set', n.hostIf, 'up'] },
    inNs(n, 'ip', 'link', 'set', 'lo', 'up'),
    inNs(n, 'ip', 'link', 'set', n.nodeIf, 'name', 'eth0'),
    inNs(n, 'ip', 'addr', 'add', cidr(n.nodeIp), 'dev', 'eth0'),
    inNs(n, 'ip', 'link', 'set', 'eth0', 'up'),
    inNs(n, 'ip', 'route', 'add', 'default', 'via', n.hostIp),
    // The node routes between its pods and the host; these sysctls are the namespace's own.
    inNs(n, 'sysctl', '-qw', 'net.ipv4.ip_forward=1'),
    // Pod-to-Service-to-pod on one bridge needs bridged traffic to pass kube-proxy's rules.
    inNs(n, 'sysctl', '-qw', 'net.bridge.bridge-nf-call-iptables=1'),
    { argv: ['ip', 'route', 'add', n.podCidr, 'via', n.nodeIp, 'dev', n.hostIf] },
    { argv: ['ip', 'route', 'add', n.serviceCidr, 'via', n.nodeIp, 'dev', n.hostIf] },
  ];
}

/** Removes what nodeNetworkUp made (the routes go with the link); each step tolerates its absence. */
export function nodeNetworkDown(n: NodeNetwork): NetCommand[] {
  return [
    { argv: ['ip', 'link', 'del', n.hostIf], mayFail: true },
    { argv: ['ip', 'netns', 'del', n.netns], mayFail: true },
  ];
}

/** argv that runs a command in the node's network namespace but the host's mount namespace. */
export function inNodeNetns(n: NodeNetwork, argv: readonly string[]): string[] {
  // Not `ip netns exec`: it unshares the mount namespace, and the kubelet's mounts must be the ones
  // containerd and runc see.
  return ['nsenter', `--net=/run/netns/${n.netns}`, '--', ...argv];
}
