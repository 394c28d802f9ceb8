// `npm run up` after setup: the control plane (testenv, persistent), qvirt's manifests, virt-api,
// the node agent over a simulated QAT host, virt-handler, virt-controller; optionally the examples.
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeClient, loadKubeConfig } from '@qvirt/kube';
import { createCA, issueCert } from '@qvirt/pki';
import { buildFakeQatHost } from '@qvirt/qat';
import { httpGet, startControlPlane, waitFor, type ControlPlane } from '@qvirt/testenv';
import { withUrlClientConfig, type WebhookConfigurationDoc } from '@qvirt/virt-api/webhook-server';
import { parseAllDocuments } from 'yaml';
import { componentSpecs, QAT_RESOURCE, STACK_QAT_HOST, STACK_QAT_VFS, type ComponentSpec } from './components.js';
import { nodeAllocatable, nodeReady, waitForValue } from './kube-waits.js';
import { writeNodeKubeconfig } from './node-credentials.js';
import { AUDIT_POLICY, DEFAULT_PORTS, STACK_NODE_NAME, type StackLayout, type StackPorts } from './stack-layout.js';
import { isAlive, startStackProcess } from './stack-process.js';
import { writeStackState, type StackState } from './stack-state.js';
import { step, type StepPrinter } from './steps.js';

export interface UpOptions {
  readonly layout: StackLayout;
  readonly out: StepPrinter;
  readonly ports?: StackPorts;
  readonly nodeBin: string;
}

export interface RunningStack {
  readonly state: StackState;
  readonly admin: KubeClient;
}

/** Starts a fresh stack in layout.root (which must not hold a running one: see stackStatus/down). */
export async function startStack(o: UpOptions): Promise<RunningStack> {
  const { layout: l, out } = o;
  const ports = o.ports ?? DEFAULT_PORTS;
  await step(out, 'prepare .stack/', undefined, async () => {
    // Keep nothing from an earlier stack but its logs (renamed), so a rerun starts clean.
    await rm(join(l.root, 'logs.previous'), { recursive: true, force: true });
    await rename(l.logs, join(l.root, 'logs.previous')).catch(() => undefined);
    for (const d of ['control-plane', 'pids', 'node', 'virt-api', 'stack.json', 'kubeconfig', 'audit-policy.yaml']) await rm(join(l.root, d), { recursive: true, force: true, maxRetries: 3 });
    await mkdir(l.logs, { recursive: true });
    await mkdir(l.pids, { recursive: true });
    await writeFile(l.auditPolicy, AUDIT_POLICY);
  });

  const cp = await step(out, 'start etcd, kube-apiserver, kube-scheduler, kube-controller-manager', join(l.controlPlane, '<component>/<component>.log'), () =>
    startControlPlane({
      persistent: { stateDir: l.controlPlane, ports },
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
    const r = await cp.kubectl(args, { timeoutMs: 120_000, ...(stdin !== undefined ? { stdin } : {}) });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout;
  };

  await step(out, 'apply CRDs, namespace, RBAC, kubevirt-config', undefined, async () => {
    await kubectl(['apply', '--server-side', '-f', join(l.repo, 'deploy/crds')]);
    await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
    const base = join(l.repo, 'deploy/base');
    await kubectl(['apply', '-f', join(base, 'namespace.yaml'), '-f', join(base, 'kubevirt-config.yaml')]);
    await kubectl(['apply', '-f', join(base, 'virt-api/rbac.yaml'), '-f', join(base, 'virt-controller/rbac.yaml'), '-f', join(base, 'virt-handler/rbac.yaml')]);
    // The default ServiceAccount of `default` (pods need it) appears once the controller-manager syncs.
    await waitFor(async () => (await admin.get('/api/v1/namespaces/default/serviceaccounts/default').then(() => true, () => 'no default ServiceAccount yet')), { timeoutMs: 60_000 });
  });

  const kubeconfigs = await step(out, 'credentials: ServiceAccount tokens, node identity, virt-api serving cert', undefined, async () => {
    // Each component runs as the ServiceAccount its deploy/ manifests bind (RBAC really enforced).
    const sa = async (component: string) => {
      const ref = await serviceAccountOf(join(l.repo, 'deploy/base', component, 'rbac.yaml'));
      return cp.serviceAccountKubeconfig(ref.namespace, ref.name);
    };
    const [virtApi, virtController, virtHandler] = await Promise.all(['virt-api', 'virt-controller', 'virt-handler'].map(sa));
    await mkdir(join(l.root, 'node'), { recursive: true });
    const node = await writeNodeKubeconfig({ pkiDir: join(l.controlPlane, 'pki'), server: cp.server, nodeName: STACK_NODE_NAME, kubeconfigPath: l.nodeKubeconfig });
    await mkdir(l.virtApiCerts, { recursive: true });
    const ca = await createCA({ commonName: 'qvirt-local-stack-webhook-ca', validityDays: 30 });
    const cert = await issueCert({ ca, commonName: 'virt-api', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], usage: 'server', validityDays: 30 });
    await writeFile(join(l.virtApiCerts, 'ca.crt'), ca.certPem);
    await writeFile(join(l.virtApiCerts, 'tls.crt'), cert.certPem);
    await writeFile(join(l.virtApiCerts, 'tls.key'), cert.keyPem, { mode: 0o600 });
    return { virtApi: virtApi!, virtController: virtController!, virtHandler: virtHandler!, node };
  });
  const caPem = await readFile(join(l.virtApiCerts, 'ca.crt'), 'utf8');
  const specs = componentSpecs({ layout: l, ports, node: STACK_NODE_NAME, kubeconfigs, nodeBin: o.nodeBin });
  const spec = (n: ComponentSpec['name']) => specs.find((s) => s.name === n)!;

  await step(out, 'virt-api (webhooks)', join(l.logs, 'virt-api.log'), async () => {
    await startComponent(l, spec('virt-api'), caPem);
    const docs = parseAllDocuments(await readFile(join(l.repo, 'deploy/base/virt-api/webhooks.yaml'), 'utf8')).map((d) => d.toJS() as WebhookConfigurationDoc);
    const local = docs.map((d) => withUrlClientConfig(d, `https://127.0.0.1:${ports.virtApiPort}`, caPem));
    await kubectl(['apply', '-f', '-'], local.map((d) => JSON.stringify(d)).join('\n'));
  });

  await step(out, `node agent (stands in for the kubelet of ${STACK_NODE_NAME})`, join(l.logs, 'node-agent.log'), async () => {
    await buildFakeQatHost(l.qatHost, STACK_QAT_HOST);
    await mkdir(l.runDir, { recursive: true });
    const p = await startComponent(l, spec('node-agent'), caPem);
    await waitForValue('Node Ready', 60_000, nodeReady(admin, STACK_NODE_NAME), () => (isAlive(p) ? undefined : 'node agent exited'));
  });

  await step(out, `virt-handler (device plugins: ${STACK_QAT_VFS} simulated QAT VFs)`, join(l.logs, 'virt-handler.log'), async () => {
    await startComponent(l, spec('virt-handler'), caPem);
    await waitForValue(`${QAT_RESOURCE} allocatable on the node`, 60_000, nodeAllocatable(admin, STACK_NODE_NAME, QAT_RESOURCE, STACK_QAT_VFS));
  });

  await step(out, 'virt-controller', join(l.logs, 'virt-controller.log'), () => startComponent(l, spec('virt-controller'), caPem));

  const state: StackState = {
    server: cp.server,
    node: STACK_NODE_NAME,
    ports,
    kubeconfig: l.kubeconfig,
    binDir: cp.binDir,
    components: specs,
    controlPlaneLogs: { ...cp.logs },
    startedAt: new Date().toISOString(),
  };
  await writeStackState(l, state);
  return { state, admin };
}

/** Starts one component from its spec and waits for its readiness endpoint (if any). */
export async function startComponent(l: StackLayout, s: ComponentSpec, caPem?: string): Promise<number> {
  const p = await startStackProcess({ name: s.name, order: s.order, command: s.command, args: s.args, env: s.env, logs: l.logs, pids: l.pids, cwd: l.repo });
  if (s.readyUrl) {
    const url = s.readyUrl;
    await waitFor(
      async () => {
        const r = await httpGet(url, url.startsWith('https:') && caPem ? { ca: caPem } : {});
        return r.status === 200 ? true : `HTTP ${r.status} ${r.body.slice(0, 200)}`;
      },
      { timeoutMs: 90_000, abort: () => (p.proc.hasExited ? `${s.name} exited during start-up (code ${String(p.proc.hasExited.code)})` : undefined) },
    );
  }
  return p.pid;
}

/** The ServiceAccount a component's rbac.yaml declares. */
async function serviceAccountOf(file: string): Promise<{ namespace: string; name: string }> {
  const docs = parseAllDocuments(await readFile(file, 'utf8')).map((d) => d.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } });
  const sa = docs.find((d) => d.kind === 'ServiceAccount');
  if (!sa?.metadata?.name) throw new Error(`${file}: no ServiceAccount`);
  return { namespace: sa.metadata.namespace ?? 'kubevirt', name: sa.metadata.name };
}

export type { ControlPlane };
