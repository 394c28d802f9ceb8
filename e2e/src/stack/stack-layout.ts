// Where the local stack keeps everything (pure): one directory, `.stack/` at the repository root.
import { join } from 'node:path';

export interface StackLayout {
  readonly repo: string;
  readonly root: string;
  /** Admin kubeconfig, `.stack/kubeconfig`: the one the README's `npm run up` section exports. */
  readonly kubeconfig: string;
  readonly logs: string;
  /** `<order>-<name>.pid` for every process `up` started besides the control plane. */
  readonly pids: string;
  /** testenv's persistent state: pki/, etcd/, kube-apiserver/, kubeconfigs/, ... */
  readonly controlPlane: string;
  readonly auditPolicy: string;
  readonly auditLog: string;
  /** Shared by handler and launchers; the default of every component (console logs live here). */
  readonly runDir: string;
  /** Written last by a successful `up`: ports, node name, processes. */
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
}

/** Fixed ports below the ephemeral range, so tests using free ports never take them. */
export const DEFAULT_PORTS: StackPorts = {
  etcdClientPort: 12379,
  etcdPeerPort: 12380,
  apiPort: 16443,
  schedPort: 20259,
  cmPort: 20257,
};

export const STACK_NODE_NAME = 'qvirt-node-0';
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
