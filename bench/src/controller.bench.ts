// virt-controller:
// 1. API writes per VMI from create to Scheduled, counted in the kube-apiserver's audit log for the
//    controller's ServiceAccount (real apiserver via testenv, controller as its own process with the
//    RBAC from deploy/; the bench acts as scheduler and kubelet). Baseline: KubeVirt's density-test
//    bound PATCH-vmis <= 2 x CREATE-pods (ratio <= 1 meets it).
// 2. Pure reconcile throughput (planVmiSync + desiredVmiStatus) over 500 VMIs, each with a bound
//    running pod, against structuredClone of the same VMI+pod pair in the same run (what an informer
//    pays per event just to copy an object) — VMIs/s, higher is better.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { FeatureGate, emptyClusterConfig, type VirtualMachineInstance } from '@qvirt/api';
import { applyJsonPatch, defaultVmi } from '@qvirt/validation';
import { KubeClient, loadKubeConfig } from '@qvirt/kube';
import { startControlPlane } from '@qvirt/testenv';
import { eventually } from '@qvirt/testing';
import { desiredVmiStatus, planVmiSync, renderLauncherPod } from '@qvirt/controller';
import { figure, throughput, type BenchFigure } from './figure.js';
import { appBin, REPO_ROOT } from './app-bin.js';

const repoRoot = REPO_ROOT;
const N_VMIS = 20;
const SA_USER = 'system:serviceaccount:kubevirt:kubevirt-controller';

function vmi(name: string, uid?: string): VirtualMachineInstance {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name, namespace: 'bench', ...(uid ? { uid, resourceVersion: '1', creationTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: { domain: { cpu: { cores: 1 }, memory: { guest: '128Mi' }, devices: { qats: [{ name: 'qat0', deviceName: 'qat.intel.com/generic' }] } } },
  };
}

function admitted(v: VirtualMachineInstance): VirtualMachineInstance {
  return applyJsonPatch(v, defaultVmi(v, emptyClusterConfig([FeatureGate.QAT]))) as VirtualMachineInstance;
}

interface AuditEvent {
  stage: string;
  verb: string;
  user: { username: string };
  objectRef?: { resource?: string; subresource?: string };
}

async function auditedWritesPerVmi(): Promise<BenchFigure[]> {
  const auditDir = await mkdtemp(join(tmpdir(), 'qvirt-bench-audit-'));
  const policy = join(auditDir, '.audit-policy.yaml');
  const auditLog = join(auditDir, '.controller-audit.log');
  writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n  - level: Metadata\n');
  writeFileSync(auditLog, '');
  const cp = await startControlPlane({ apiserverFlags: [`--audit-policy-file=${policy}`, `--audit-log-path=${auditLog}`] });
  const controller = { child: undefined as ReturnType<typeof spawn> | undefined };
  try {
    for (const args of [
      ['apply', '-f', join(repoRoot, 'deploy/crds')],
      ['create', 'namespace', 'kubevirt'],
      ['create', 'namespace', 'bench'],
      ['create', 'serviceaccount', 'default', '-n', 'bench'],
      ['apply', '-f', join(repoRoot, 'deploy/base/virt-controller/rbac.yaml')],
      ['wait', '--for=condition=Established', '--timeout=60s', 'crd/virtualmachineinstances.kubevirt.io'],
    ]) {
      const r = await cp.kubectl(args);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    }
    const sa = await cp.serviceAccountKubeconfig('kubevirt', 'kubevirt-controller');
    // The built controller through its bin (npm run bench builds first).
    controller.child = spawn(
      process.execPath,
      [appBin('virt-controller'), '--kubeconfig', sa, '--leader-elect=false', '--metrics-port', '0', '--log-level', 'warn'],
      { stdio: 'ignore' },
    );
    const admin = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: cp.kubeconfigPath }) });
    const vmisPath = '/apis/kubevirt.io/v1/namespaces/bench/virtualmachineinstances';
    // As virt-api's mutating webhook admits them (same defaulting function): defaults + the VMI finalizer.
    for (let i = 0; i < N_VMIS; i++) await admin.create(vmisPath, admitted(vmi(`v${i}`)));
    // As scheduler and kubelet: bind each launcher pod, then mark it Running.
    const done = new Set<string>();
    await eventually(
      `all ${N_VMIS} VMIs Scheduled`,
      async () => {
        const pods = await admin.get<{ items: V1Pod[] }>('/api/v1/namespaces/bench/pods');
        for (const p of pods.items) {
          const name = p.metadata!.name!;
          if (!p.spec?.nodeName) {
            await admin.create(`/api/v1/namespaces/bench/pods/${name}/binding`, {
              apiVersion: 'v1',
              kind: 'Binding',
              metadata: { name },
              target: { kind: 'Node', name: 'bench-node' },
            });
          } else if (p.status?.phase !== 'Running') {
            await admin.patch(`/api/v1/namespaces/bench/pods/${name}/status`, { status: { phase: 'Running' } });
          }
        }
        const vmis = await admin.get<{ items: VirtualMachineInstance[] }>(vmisPath);
        for (const v of vmis.items) if (v.status?.phase === 'Scheduled') done.add(v.metadata.name!);
        if (done.size >= N_VMIS) return true;
        throw new Error(`only ${done.size}/${N_VMIS} VMIs reached Scheduled`);
      },
      { timeoutMs: 120_000 },
    );
    await new Promise((r) => setTimeout(r, 1000)); // let trailing writes land in the log
    await admin.close();
    const counts = new Map<string, number>();
    for (const line of readFileSync(auditLog, 'utf8').split('\n')) {
      if (!line) continue;
      const e = JSON.parse(line) as AuditEvent;
      if (e.stage !== 'ResponseComplete' || e.user.username !== SA_USER) continue;
      if (!['create', 'update', 'patch', 'delete'].includes(e.verb)) continue;
      const key = `${e.verb.toUpperCase()}-${e.objectRef?.resource}${e.objectRef?.subresource ? `/${e.objectRef.subresource}` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const get = (k: string) => counts.get(k) ?? 0;
    const createPods = get('CREATE-pods');
    const patchVmis = get('PATCH-virtualmachineinstances') + get('PATCH-virtualmachineinstances/status');
    const writes = [...counts.entries()].filter(([k]) => !k.endsWith('-events')).reduce((s, [, n]) => s + n, 0);
    process.stderr.write(`  controller writes for ${N_VMIS} VMIs: ${JSON.stringify(Object.fromEntries(counts))}\n`);
    return [
      figure(
        'controller.patch_vmis_per_vmi',
        patchVmis / N_VMIS,
        'PATCH/VMI (create->Scheduled, lower is better)',
        (2 * createPods) / N_VMIS,
        'baseline: KubeVirt bound 2 x CREATE-pods per VMI; VMIs created as virt-api admits them (finalizer set by the mutating webhook)',
      ),
      figure(
        'controller.api_writes_per_vmi',
        writes / N_VMIS,
        'writes/VMI excl. events (lower is better)',
        3,
        'baseline: the floor of 1 pod create + 2 phase writes',
      ),
    ];
  } finally {
    if (controller.child && controller.child.exitCode === null) {
      const exited = once(controller.child, 'exit');
      controller.child.kill('SIGTERM');
      await exited;
    }
    await cp.stop();
    rmSync(auditDir, { recursive: true, force: true });
  }
}

function reconcileThroughput(): BenchFigure {
  const inputs = { launcherImage: 'qvirt/virt-launcher:bench', kvmMode: 'emulation' as const, clusterConfig: emptyClusterConfig(['QAT']) };
  const pairs = Array.from({ length: 500 }, (_, i) => {
    const v = vmi(`v${i}`, `uid-${i}`);
    v.status = { phase: 'Scheduling', phaseTransitionTimestamps: [{ phase: 'Pending', phaseTransitionTimestamp: '2025-01-01T00:00:00Z' }] };
    const pod = renderLauncherPod(v, inputs);
    pod.spec!.nodeName = 'n1';
    pod.status = { phase: 'Running' };
    return { v, pod };
  });
  const now = new Date();
  const reconcileAll = () => {
    for (const { v, pod } of pairs) {
      const plan = planVmiSync({ vmi: v, pods: [pod], expectationsSatisfied: true, inputs });
      desiredVmiStatus({ vmi: v, observation: plan.observation, now });
    }
  };
  const cloneAll = () => {
    for (const { v, pod } of pairs) {
      structuredClone(v);
      structuredClone(pod);
    }
  };
  const rounds = 3;
  let value = 0;
  let base = 0;
  for (let i = 0; i < rounds; i++) {
    value += throughput(reconcileAll, 700) * 500;
    base += throughput(cloneAll, 700) * 500;
  }
  return figure(
    'controller.reconcile_vmis_per_s',
    value / rounds,
    'VMIs/s (pure reconcile of 500, higher is better)',
    base / rounds,
    'baseline: structuredClone of each VMI+pod in the same run',
  );
}

export async function benchController(): Promise<BenchFigure[]> {
  const pure = reconcileThroughput();
  return [pure, ...(await auditedWritesPerVmi())];
}
