// QAT admission, scheduling against real allocatable counts, and VF exclusivity.
import type { VirtualMachineInstance } from '@qvirt/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import type { E2eCluster } from '../src/e2e/cluster.js';
import { closeSuite, openSuite } from '../src/e2e/suite.js';
import { getVmi, launcherPods, testVmi, vmiPath } from '../src/e2e/vmis.js';

let k: E2eCluster;
const GATE_MESSAGE = 'QAT feature gate is not enabled in kubevirt-config';
const cm = '/api/v1/namespaces/kubevirt/configmaps/kubevirt-config';
let gates: string;

beforeAll(async () => {
  k = await openSuite();
  gates = (await k.client.get<{ data?: Record<string, string> }>(cm)).data?.['feature-gates'] ?? '';
  await k.client.patch(cm, { data: { 'feature-gates': 'QAT,HostDevices' } }, 'merge');
});
afterAll(async () => {
  await k?.client.patch(cm, { data: { 'feature-gates': gates } }, 'merge').catch(() => undefined);
  await closeSuite(k);
});

const createVmi = (v: VirtualMachineInstance) => k.client.create<VirtualMachineInstance>(vmiPath(), v);

describe('QAT VMIs', () => {
  it('are denied while the QAT feature gate is off', async () => {
    await k.client.patch(cm, { data: { 'feature-gates': '' } }, 'merge');
    try {
      // virt-api follows kubevirt-config through a watch: retry until it has seen the change.
      const err = await eventually(
        'denial',
        async () => {
          try {
            await createVmi(testVmi('gate-off', { qats: 1 }));
            await k.client.delete(vmiPath('gate-off'));
            return undefined;
          } catch (e) {
            return e as Error;
          }
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(err.message).toContain(GATE_MESSAGE);
      expect(err.message).toMatch(/HTTP 422/);
    } finally {
      await k.client.patch(cm, { data: { 'feature-gates': 'QAT,HostDevices' } }, 'merge');
    }
    // ... and admitted again once it is on.
    await eventually(
      'admitted with the gate on',
      async () =>
        createVmi(testVmi('gate-on', { qats: 1 })).then(
          (v) => v,
          () => undefined,
        ),
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  });

  it('asking for more VFs than the node has free stays Scheduling with Insufficient qat.intel.com/generic', async () => {
    await createVmi(testVmi('too-many', { qats: k.qatVfs + 1 }));
    const v = await eventually(
      'too-many Scheduling with PodScheduled=False',
      async () => {
        const got = await getVmi(k.client, 'too-many');
        const c = got?.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False');
        return got?.status?.phase === 'Scheduling' && c ? { got, c } : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(v.c.message).toContain('Insufficient qat.intel.com/generic');
    // It stays there.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await getVmi(k.client, 'too-many'))?.status?.phase).toBe('Scheduling');
  });

  it('two QAT VMIs never share a VF; each VF shows in deviceStatus', async () => {
    await createVmi(testVmi('qat-a', { qats: 2 }));
    await createVmi(testVmi('qat-b', { qats: 2 }));
    const addrs = async (name: string, count = 2, timeoutMs = 90_000) =>
      eventually(
        `${name} deviceStatus`,
        async () => {
          const v = await getVmi(k.client, name);
          const a = (v?.status?.deviceStatus?.hostDeviceStatuses ?? []).map((d) => d.pciAddress).filter((x): x is string => !!x);
          return a.length === count ? { v, a } : undefined;
        },
        { timeoutMs },
      );
    const [a, b] = [await addrs('qat-a'), await addrs('qat-b')];
    expect(new Set([...a.a, ...b.a]).size).toBe(4);
    for (const x of [...a.a, ...b.a]) expect(x).toMatch(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/);
    if (k.local) {
      // This host has no IOMMU: the domain is defined with the VFs, then libvirt refuses to start it.
      const failed = await eventually(
        'qat-a Failed',
        async () => {
          const v = await getVmi(k.client, 'qat-a');
          return v?.status?.phase === 'Failed' ? v : undefined;
        },
        { timeoutMs: 90_000 },
      );
      expect(failed.status?.message).toContain("host doesn't support passthrough of host PCI devices");
      // A final VMI's launcher pod is deleted, so its VFs go back to the node: once the other
      // QAT VMIs here have failed the same way, one VMI can get every VF, qat-a's included.
      await eventually('qat-a launcher pod deleted', async () => ((await launcherPods(k.client, failed.metadata.uid!)).length === 0 ? true : undefined), {
        timeoutMs: 90_000,
      });
      await createVmi(testVmi('qat-all', { qats: k.qatVfs }));
      const all = await addrs('qat-all', k.qatVfs, 120_000);
      expect(all.a).toEqual(expect.arrayContaining(a.a));
    }
  }, 420_000);
});
