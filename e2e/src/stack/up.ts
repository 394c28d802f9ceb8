// `npm run up` after setup: the control plane (testenv, persistent) on the host's end of the node's
// veth pair, a real node (containerd, kubelet, kube-proxy in the `qvirt-node` namespace), then
// qvirt itself as users install it: `kubectl apply -k deploy/overlays/local`.
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeClient, loadKubeConfig } from '@qvirt/kube';
import { scriptBinDir, startControlPlane, type ControlPlane } from '@qvirt/testenv';
import { eventually } from '@qvirt/testing';
import { QAT_RESOURCE, STACK_QAT_HOST, STACK_QAT_VFS } from './node/simulated-qat-host.js';
import { nodeAllocatable } from './kube-waits.js';
import { NODE_NETWORK } from './node/node-network.js';
import { nodePaths } from './node/node-paths.js';
import { startNode, startNodeNetwork } from './node/node-start.js';
import { AUDIT_POLICY, DEFAULT_PORTS, STACK_NODE_NAME, type StackLayout, type StackPorts } from './stack-layout.js';
import { writeStackState, type StackState } from './stack-state.js';
import { step, type StepPrinter } from './steps.js';

export interface UpOptions {
  readonly layout: StackLayout;
  readonly out: StepPrinter;
  readonly ports?: StackPorts;
}

export interface RunningStack {
  readonly state: StackState;
  readonly admin: KubeClient;
}

/** The node's binaries (containerd, its shim, ctr, crictl), from scripts/node-bin.sh. */
export const NODE_BINARIES = ['containerd', 'containerd-shim-runc-v2', 'ctr', 'crictl'] as const;

/** Starts a fresh stack in layout.root (which must not hold a running one: see stackStatus/down). */
export async function startStack(o: UpOptions): Promise<RunningStack> {
  const { layout: l, out } = o;
  const ports = o.ports ?? DEFAULT_PORTS;
  const net = NODE_NETWORK;
  const paths = nodePaths(l.root);
  await step(out, 'prepare .stack/', undefined, async () => {
    // Keep nothing from an earlier stack but its logs (renamed), so a rerun starts clean.
    await rm(join(l.root, 'logs.previous'), { recursive: true, force: true });
    await rename(l.logs, join(l.root, 'logs.previous')).catch(() => undefined);
    for (const d of ['control-plane', 'pids', 'node', 'stack.json', 'kubeconfig', 'audit-policy.yaml'])
      await rm(join(l.root, d), { recursive: true, force: true, maxRetries: 3 });
    await mkdir(l.logs, { recursive: true });
    await mkdir(l.pids, { recursive: true });
    await writeFile(l.auditPolicy, AUDIT_POLICY);
  });
  const [kubeBin, nodeBin] = await step(out, 'locate kube-bin and node-bin (built by setup)', undefined, () =>
    Promise.all([
      scriptBinDir(join(l.repo, 'scripts/kube-bin.sh'), ['kube-apiserver', 'kubelet', 'kube-proxy', 'kubectl']),
      scriptBinDir(join(l.repo, 'scripts/node-bin.sh'), NODE_BINARIES),
    ]),
  );

  await startNodeNetwork(out, net);

  const cp = await step(
    out,
    `start etcd, kube-apiserver (${net.hostIp}:${ports.apiPort}), kube-scheduler, kube-controller-manager`,
    join(l.controlPlane, '<component>/<component>.log'),
    () =>
      startControlPlane({
        binDir: kubeBin,
        persistent: { stateDir: l.controlPlane, ports },
        address: net.hostIp,
        serviceCidr: net.serviceCidr,
        withScheduler: true,
        withControllerManager: true,
        apiserverFlags: [`--audit-policy-file=${l.auditPolicy}`, `--audit-log-path=${l.auditLog}`, '--audit-log-maxsize=500', '--audit-log-maxbackup=1'],
      }),
  );
  const pidOrder: [string, number | undefined, number][] = [
    ['etcd', cp.pids.etcd, 1],
    ['kube-apiserver', cp.pids.apiserver, 2],
    ['kube-scheduler', cp.pids.scheduler, 3],
    ['kube-controller-manager', cp.pids.controllerManager, 4],
  ];
  for (const [name, pid, order] of pidOrder) if (pid) await writeFile(join(l.pids, `0${order}-${name}.pid`), `${pid}\n`);
  await copyFile(cp.kubeconfigPath, l.kubeconfig);
  const admin = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: l.kubeconfig }) });
  const kubectl = async (args: string[], stdin?: string): Promise<string> => {
    const r = await cp.kubectl(args, { timeoutMs: 300_000, ...(stdin !== undefined ? { stdin } : {}) });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout;
  };

  const nodeProcesses = await startNode({
    layout: l,
    paths,
    network: net,
    nodeName: STACK_NODE_NAME,
    out,
    admin,
    kubeBin,
    nodeBin,
    server: cp.server,
    pkiDir: cp.pkiDir,
    qatHost: STACK_QAT_HOST,
  });

  await step(out, 'kubectl apply --server-side -f deploy/crds; kubectl apply -k deploy/overlays/local', undefined, async () => {
    await kubectl(['apply', '--server-side', '-f', join(l.repo, 'deploy/crds')]);
    await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
    await kubectl(['apply', '-k', join(l.repo, 'deploy/overlays/local')]);
  });
  await step(out, 'wait for virt-api, virt-controller (Deployments) and virt-handler (DaemonSet)', join(l.logs, 'kubelet.log'), async () => {
    for (const w of ['deployment/virt-api', 'deployment/virt-controller', 'daemonset/virt-handler']) {
      await kubectl(['-n', 'kubevirt', 'rollout', 'status', w, '--timeout=300s']);
    }
  });
  await step(out, `${QAT_RESOURCE}: ${STACK_QAT_VFS} simulated VFs allocatable (virt-handler's device plugins)`, undefined, () =>
    eventually(`${QAT_RESOURCE} allocatable on the node`, nodeAllocatable(admin, STACK_NODE_NAME, QAT_RESOURCE, STACK_QAT_VFS), {
      timeoutMs: 120_000,
      intervalMs: 250,
    }),
  );

  const state: StackState = {
    server: cp.server,
    node: STACK_NODE_NAME,
    ports,
    kubeconfig: l.kubeconfig,
    binDir: kubeBin,
    nodeBinDir: nodeBin,
    processes: [...pidOrder.filter(([, pid]) => pid).map(([name]) => name), ...nodeProcesses.map((p) => p.name)],
    nodeProcesses,
    controlPlaneLogs: { ...cp.logs },
    startedAt: new Date().toISOString(),
  };
  await writeStackState(l, state);
  return { state, admin };
}

export type { ControlPlane };
