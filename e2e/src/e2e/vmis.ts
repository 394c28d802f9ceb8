// VMI and VM helpers for the e2e suites, built on the examples so they stay in step with them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VirtualMachine, VirtualMachineInstance } from '@qvirt/api';
import { isNotFound, type KubeClient } from '@qvirt/kube';
import { eventually } from '@qvirt/testing';
import { parse } from 'yaml';
import { repoRoot } from '../stack/repo-root.js';

export const NS = 'e2e';
const API = '/apis/kubevirt.io/v1';
export const vmiPath = (name?: string, ns = NS) => `${API}/namespaces/${ns}/virtualmachineinstances${name ? `/${name}` : ''}`;
export const vmPath = (name?: string, ns = NS) => `${API}/namespaces/${ns}/virtualmachines${name ? `/${name}` : ''}`;

/** examples/vmi-plain.yaml renamed into the e2e namespace, with `qats` QAT VFs and a short grace period. */
export function testVmi(name: string, opts: { qats?: number; grace?: number } = {}): VirtualMachineInstance {
  const vmi = parse(readFileSync(join(repoRoot(), 'examples/vmi-plain.yaml'), 'utf8')) as VirtualMachineInstance;
  vmi.metadata = { name, namespace: NS, labels: { 'qvirt.io/e2e': 'true' } };
  vmi.spec.terminationGracePeriodSeconds = opts.grace ?? 10;
  const qats = Array.from({ length: opts.qats ?? 0 }, (_, i) => ({ name: `qat${i}`, deviceName: 'qat.intel.com/generic' }));
  vmi.spec.domain.devices = { ...(vmi.spec.domain.devices ?? {}), ...(qats.length ? { qats } : {}) };
  return vmi;
}

export function testVm(name: string, spec: { running?: boolean; runStrategy?: string }): VirtualMachine {
  const t = testVmi(name);
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace: NS },
    spec: { ...spec, template: { metadata: { labels: { 'qvirt.io/e2e': 'true' } }, spec: t.spec } },
  } as VirtualMachine;
}

export const getVmi = (c: KubeClient, name: string) =>
  c.get<VirtualMachineInstance>(vmiPath(name)).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));

export function waitPhase(c: KubeClient, name: string, phase: string, timeoutMs = 120_000): Promise<VirtualMachineInstance> {
  return eventually(
    `VMI ${name} ${phase}`,
    async () => {
      const v = await getVmi(c, name);
      if (v?.status?.phase === 'Failed' && phase !== 'Failed') throw new Error(`VMI ${name} Failed: ${v.status.reason ?? ''} ${v.status.message ?? ''}`);
      return v?.status?.phase === phase ? v : undefined;
    },
    { timeoutMs },
  );
}

export const waitVmiGone = (c: KubeClient, name: string, timeoutMs = 120_000) =>
  eventually(`VMI ${name} gone`, async () => ((await getVmi(c, name)) ? undefined : true), { timeoutMs });

/** Pods of a VMI (by the controller's created-by label). */
export async function launcherPods(c: KubeClient, vmiUid: string): Promise<{ metadata: { name: string }; status?: { phase?: string } }[]> {
  const list = await c.get<{ items: { metadata: { name: string }; status?: { phase?: string } }[] }>(`/api/v1/namespaces/${NS}/pods`, {
    labelSelector: `kubevirt.io/created-by=${vmiUid}`,
  });
  return list.items;
}

export async function ensureNamespace(c: KubeClient): Promise<void> {
  await c
    .create('/api/v1/namespaces', { metadata: { name: NS } })
    .catch((err: { statusCode?: number }) => (err.statusCode === 409 ? undefined : Promise.reject(err)));
  await eventually(
    'default ServiceAccount in e2e',
    () =>
      c.get(`/api/v1/namespaces/${NS}/serviceaccounts/default`).then(
        () => true,
        () => undefined,
      ),
    { timeoutMs: 30_000 },
  );
}

/** Deletes every e2e VMI and VM and waits until they are gone. */
export async function cleanup(c: KubeClient): Promise<void> {
  for (const path of [vmPath(), vmiPath()]) {
    const list = await c.get<{ items: { metadata: { name: string } }[] }>(path);
    for (const o of list.items) await c.delete(`${path}/${o.metadata.name}`).catch(() => undefined);
  }
  await eventually('e2e VMIs gone', async () => ((await c.get<{ items: unknown[] }>(vmiPath())).items.length === 0 ? true : undefined), { timeoutMs: 120_000 });
  await eventually(
    'e2e launcher pods gone',
    async () => ((await c.get<{ items: unknown[] }>(`/api/v1/namespaces/${NS}/pods`)).items.length === 0 ? true : undefined),
    { timeoutMs: 120_000 },
  );
}
