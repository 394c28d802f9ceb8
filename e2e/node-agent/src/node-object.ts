// The Node this agent stands for, rendered purely from its facts (what the kubelet would post).
import { Labels } from '@qvirt/api';
import type { ResourceCounts } from './device-manager.js';

export const AGENT_NAME = 'qvirt-node-agent';
export const AGENT_VERSION = 'v0.1.0';

export interface NodeFacts {
  readonly name: string;
  readonly cpu: number;
  /** Bytes. */
  readonly memoryBytes: number;
  readonly maxPods: number;
  readonly hostIP: string;
  readonly kernelVersion: string;
  readonly osImage: string;
  readonly bootID: string;
  readonly machineID: string;
  readonly kubeletVersion: string;
}

export interface NodeObject {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string>; resourceVersion?: string };
  spec: Record<string, unknown>;
  status?: NodeStatus;
}

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastHeartbeatTime: string;
  lastTransitionTime: string;
}

export interface NodeStatus {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  conditions: NodeCondition[];
  addresses: { type: string; address: string }[];
  nodeInfo: Record<string, string>;
  daemonEndpoints: { kubeletEndpoint: { Port: number } };
}

export const NODE_ANNOTATION = 'qvirt.io/node-agent';

export function nodeLabels(name: string): Record<string, string> {
  return {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    [Labels.simulatedQat]: 'true',
  };
}

/** The Node as first created (status is posted separately through the status subresource). */
export function renderNode(f: NodeFacts): NodeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: f.name,
      labels: nodeLabels(f.name),
      annotations: {
        [NODE_ANNOTATION]: `${AGENT_NAME} ${AGENT_VERSION}: stands in for the kubelet; runs only pods labelled kubevirt.io=virt-launcher, as host processes`,
      },
    },
    spec: {},
  };
}

/**
 * The status to post: capacity/allocatable from the host and the device plugins (capacity counts
 * every advertised device, allocatable the Healthy ones, as the kubelet does), Ready and the
 * pressure conditions, keeping each condition's lastTransitionTime while its status holds.
 */
export function renderNodeStatus(f: NodeFacts, devices: ReadonlyMap<string, ResourceCounts>, previous: readonly NodeCondition[] | undefined, now: Date): NodeStatus {
  const base = { cpu: String(f.cpu), memory: String(f.memoryBytes), pods: String(f.maxPods), 'ephemeral-storage': String(100 * 1024 ** 3) };
  const capacity: Record<string, string> = { ...base };
  const allocatable: Record<string, string> = { ...base };
  for (const [name, c] of [...devices].sort(([a], [b]) => a.localeCompare(b))) {
    capacity[name] = String(c.capacity);
    allocatable[name] = String(c.allocatable);
  }
  const t = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const cond = (type: string, status: NodeCondition['status'], reason: string, message: string): NodeCondition => {
    const prev = previous?.find((c) => c.type === type);
    return { type, status, reason, message, lastHeartbeatTime: t, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : t };
  };
  return {
    capacity,
    allocatable,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'node agent has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'node agent has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'node agent has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', `${AGENT_NAME} (stands in for the kubelet) is posting ready status`),
    ],
    addresses: [
      { type: 'InternalIP', address: f.hostIP },
      { type: 'Hostname', address: f.name },
    ],
    nodeInfo: {
      machineID: f.machineID,
      systemUUID: f.machineID,
      bootID: f.bootID,
      kernelVersion: f.kernelVersion,
      osImage: f.osImage,
      containerRuntimeVersion: `${AGENT_NAME}://${AGENT_VERSION}`,
      kubeletVersion: f.kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
  };
}

/** The node Lease in kube-node-lease (what the node lifecycle controller watches). */
export function renderLease(nodeName: string, nodeUid: string | undefined, durationSeconds: number, now: Date): Record<string, unknown> {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: nodeName,
      namespace: 'kube-node-lease',
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: now.toISOString().replace('Z', '000Z') },
  };
}
