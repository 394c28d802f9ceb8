// Density, as KubeVirt's density test measures it, on the local stack (started here if it is not
// running, and stopped again afterwards): QVIRT_DENSITY_N plain VMIs (default 10; 50 for the
// acceptance run) created 100 ms apart; creation-to-Running from phaseTransitionTimestamps
// (P50/P95/P99) against KubeVirt's pass bars (stated constants, not measured here); API requests
// per VMI by verb and resource from the apiserver audit log; the peak working set of every
// component's pods and of a launcher pod, as the kubelet reports them.
import { readFile, stat } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { VirtualMachineInstance } from '@qvirt/api';
import type { KubeClient } from '@qvirt/kube';
import { eventually } from '@qvirt/testing';
import type { StackLayout } from '@qvirt/e2e/stack';
import { countRequests, isQvirtUser } from './density/audit-count.js';
import { figure, percentile, type BenchFigure } from './figure.js';
import { PeakByGroup, podMemory } from './node/pod-stats.js';
import { withStack } from './node/stack-session.js';

/** KubeVirt's density test pass bars (creation-to-Running), stated constants. */
export const KUBEVIRT_P50_SECONDS = 45;
export const KUBEVIRT_P95_SECONDS = 60;
/** KubeVirt's API bound: PATCH vmis <= 2 x CREATE pods, i.e. 2 per VMI. */
export const KUBEVIRT_VMI_PATCHES_PER_VMI = 2;
const NS = 'density';
const INTERVAL_MS = 100;
const MiB = 1024 * 1024;

export async function benchDensity(): Promise<BenchFigure[]> {
  const n = Number(process.env['QVIRT_DENSITY_N'] ?? '10');
  if (!Number.isInteger(n) || n < 1) throw new Error(`QVIRT_DENSITY_N=${process.env['QVIRT_DENSITY_N']}: must be a positive whole number`);
  return withStack(async ({ layout, state, client }) => {
    try {
      return await measure(layout, client, state.node, n);
    } finally {
      await deleteAll(client).catch(() => undefined);
    }
  });
}

async function measure(layout: StackLayout, client: KubeClient, node: string, n: number): Promise<BenchFigure[]> {
  await client.create('/api/v1/namespaces', { metadata: { name: NS } }).catch(() => undefined);
  await eventually('default ServiceAccount', () => client.get(`/api/v1/namespaces/${NS}/serviceaccounts/default`).then(() => true), { timeoutMs: 20_000 });
  await deleteAll(client);
  const template = parse(await readFile(join(layout.repo, 'examples/vmi-plain.yaml'), 'utf8')) as VirtualMachineInstance;
  const auditStart = await stat(layout.auditLog).then(
    (s) => s.size,
    () => 0,
  );
  const since = new Date(Date.now() - 1000);

  const peaks = new PeakByGroup();
  const sample = async () => {
    for (const p of await podMemory(client, node).catch(() => [])) {
      if (p.namespace === 'kubevirt') peaks.add(p.name.replace(/-[a-z0-9]{5,10}(-[a-z0-9]{5})?$/, ''), p.workingSetBytes);
      else if (p.namespace === NS) peaks.add('virt-launcher pod (one VMI)', p.workingSetBytes);
    }
  };
  const sampler = setInterval(() => void sample(), 2000);

  try {
    for (let i = 0; i < n; i++) {
      const vmi = structuredClone(template);
      vmi.metadata = { name: `density-${i}`, namespace: NS };
      await client.create(`/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances`, vmi);
      if (i < n - 1) await sleep(INTERVAL_MS);
    }
    let failed: string | undefined;
    const vmis = await eventually(
      `all ${n} VMIs Running`,
      async () => {
        const items = (await client.get<{ items: VirtualMachineInstance[] }>(`/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances`)).items;
        const f = items.filter((v) => v.status?.phase === 'Failed');
        if (f.length > 0) failed = `${f.length} VMIs failed, e.g. ${f[0]!.metadata.name}: ${f[0]!.status?.message ?? ''}`;
        if (items.length === n && items.every((v) => v.status?.phase === 'Running')) return items;
        throw new Error(`${items.filter((v) => v.status?.phase === 'Running').length} are`);
      },
      { timeoutMs: Math.max(300_000, n * 15_000), intervalMs: 500, abort: () => failed },
    );
    // Let the sampler see every launcher in its steady state.
    await sleep(2000);
    await sample();
    const latencies = vmis.map((v) => {
      const running = v.status?.phaseTransitionTimestamps?.find((t) => t.phase === 'Running')?.phaseTransitionTimestamp;
      return (new Date(running!).getTime() - new Date(v.metadata.creationTimestamp!).getTime()) / 1000;
    });
    const counts = countRequests(await auditLinesFrom(layout.auditLog, auditStart), isQvirtUser, since);
    const perVmi = (k: string) => (counts.get(k) ?? 0) / n;
    const vmiWrites =
      perVmi('patch virtualmachineinstances/status') +
      perVmi('update virtualmachineinstances/status') +
      perVmi('patch virtualmachineinstances') +
      perVmi('update virtualmachineinstances');
    const total = [...counts.values()].reduce((a, b) => a + b, 0) / n;
    const figures: BenchFigure[] = [
      figure(
        `density (${n} VMIs): creation-to-Running P50`,
        percentile(latencies, 50),
        's',
        KUBEVIRT_P50_SECONDS,
        'baseline: KubeVirt density pass bar P50 <= 45 s (stated)',
      ),
      figure(
        `density (${n} VMIs): creation-to-Running P95`,
        percentile(latencies, 95),
        's',
        KUBEVIRT_P95_SECONDS,
        'baseline: KubeVirt density pass bar P95 <= 60 s (stated)',
      ),
      figure(`density (${n} VMIs): creation-to-Running P99`, percentile(latencies, 99), 's', KUBEVIRT_P95_SECONDS, 'baseline: the P95 bar'),
      figure(
        `density: VMI writes (patch/update vmis) per VMI`,
        vmiWrites,
        'requests',
        KUBEVIRT_VMI_PATCHES_PER_VMI,
        'baseline: KubeVirt PATCH-vmis <= 2 x CREATE-pods',
      ),
      figure(
        `density: API requests per VMI, all qvirt components`,
        total,
        'requests',
        0,
        [...counts]
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k}=${(v / n).toFixed(2)}`)
          .join(', '),
      ),
    ];
    for (const [k, v] of [...counts].sort()) figures.push(figure(`density: requests per VMI: ${k}`, v / n, 'requests', 0));
    for (const [name, bytes] of [...peaks.peaks].sort()) figures.push(figure(`density: peak working set ${name}`, bytes / MiB, 'MiB', 0));
    return figures;
  } finally {
    clearInterval(sampler);
  }
}

async function deleteAll(client: KubeClient): Promise<void> {
  const path = `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances`;
  const list = await client.get<{ items: VirtualMachineInstance[] }>(path);
  for (const v of list.items) await client.delete(`${path}/${v.metadata.name}`).catch(() => undefined);
  for (let i = 0; i < 600; i++) {
    if (
      (await client.get<{ items: unknown[] }>(path)).items.length === 0 &&
      (await client.get<{ items: unknown[] }>(`/api/v1/namespaces/${NS}/pods`)).items.length === 0
    )
      return;
    await sleep(500);
  }
}

async function auditLinesFrom(path: string, offset: number): Promise<string[]> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.alloc(Math.max(0, size - offset));
    await fh.read(buf, 0, buf.length, offset);
    return buf.toString('utf8').split('\n');
  } finally {
    await fh.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
