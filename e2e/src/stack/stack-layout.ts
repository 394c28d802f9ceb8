// Where the local stack keeps everything (pure): one directory, `.stack/` at the repository root.
import { join } from 'node:path';

export interface StackLayout {
  readonly repo: string;
  readonly root: string;
  /** Admin kubeconfig (DESIGN.md root commands contract). */
  readonly kubeconfig: string;
  readonly logs: string;
  /** `<order>-<name>.pid` for every process `up` started besides the control plane. */
  readonly pids: string;
  /** testenv's persistent state: pki/, etcd/, kube-apiserver/, kubeconfigs/, ... */
  readonly controlPlane: string;
  readonly auditPolicy: string;
  readonly auditLog: string;
  readonly virtApiCerts: string;
  /** The simulated QAT host (sys/, dev/) the handler is pointed at. */
  readonly qatHost: string;
  readonly devicePlugins: string;
  readonly nodeAgentState: string;
  readonly nodeKubeconfig: string;
  /** Shared by handler and launchers; the default of every component (console logs live here). */
  readonly runDir: string;
  /** Written last by a successful `up`: ports and node name. */
  readonly stateFile: string;
}

export function stackLayout(repo: string, runDir = '/var/run/kubevirt'): StackLayout {
  const root = join(repo, '.stack');
  return {
    repo,
    root,
    kubeconfig: join(root, 'kubeconfig'),
    logs: join(root, 'logs'),
    pids: join(root, 'pids'),
    controlPlane: join(root, 'control-plane'),
    auditPolicy: join(root, 'audit-policy.yaml'),
    auditLog: join(root, 'logs', 'kube-apiserver-audit.log'),
    virtApiCerts: join(root, 'virt-api'),
    qatHost: join(root, 'node', 'qat-host'),
    devicePlugins: join(root, 'node', 'device-plugins'),
    nodeAgentState: join(root, 'node', 'agent'),
    nodeKubeconfig: join(root, 'node', 'node.kubeconfig'),
    runDir,
    stateFile: join(root, 'stack.json'),
  };
}

export interface StackPorts {
  readonly etcdClientPort: number;
  readonly etcdPeerPort: number;
  readonly apiPort: number;
  readonly schedPort: number;
  readonly cmPort: number;
  readonly virtApiPort: number;
  readonly controllerMetricsPort: number;
  readonly handlerMetricsPort: number;
}

/** Fixed ports below the ephemeral range, so tests using free ports never take them. */
export const DEFAULT_PORTS: StackPorts = {
  etcdClientPort: 12379,
  etcdPeerPort: 12380,
  apiPort: 16443,
  schedPort: 20259,
  cmPort: 20257,
  virtApiPort: 18443,
  controllerMetricsPort: 18444,
  handlerMetricsPort: 18445,
};

export const STACK_NODE_NAME = 'qvirt-node-0';
/**
 * CPUs the simulated node advertises. Launcher pods request 100m each, so the 2-core machine's
 * real count would cap the node at 20 VMIs; the emulated test guests idle, and the density run
 * (50 VMIs, as KubeVirt's) must fit. Memory stays the host's real amount.
 */
export const STACK_NODE_CPUS = 32;

/** Request counting for the density bench: metadata of every request, nothing else. */
export const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: None
    resources:
      - group: coordination.k8s.io
        resources: ["leases"]
  - level: Metadata
`;
