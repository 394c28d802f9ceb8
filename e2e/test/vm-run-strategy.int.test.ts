// VirtualMachine start/stop/restart through spec.running and spec.runStrategy.
import type { VirtualMachineInstance } from '@qvirt/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import type { E2eCluster } from '../src/e2e/cluster.js';
import { closeSuite, openSuite } from '../src/e2e/suite.js';
import { getVmi, testVm, vmPath, vmiPath, waitPhase, waitVmiGone } from '../src/e2e/vmis.js';

let k: E2eCluster;
beforeAll(async () => {
  k = await openSuite();
});
afterAll(async () => {
  await closeSuite(k);
});

const patchVm = (name: string, spec: Record<string, unknown>) => k.client.patch(vmPath(name), { spec }, 'merge');

describe('VirtualMachine', () => {
  it('spec.running: true starts, false stops, true starts a new instance', async () => {
    await k.client.create(vmPath(), testVm('vm-running', { running: true }));
    const first = await waitPhase(k.client, 'vm-running', 'Running');
    await patchVm('vm-running', { running: false });
    await waitVmiGone(k.client, 'vm-running');
    await patchVm('vm-running', { running: true });
    const second = await waitPhase(k.client, 'vm-running', 'Running');
    expect(second.metadata.uid).not.toBe(first.metadata.uid);
    await k.client.delete(vmPath('vm-running'));
    await waitVmiGone(k.client, 'vm-running');
  });

  it('runStrategy Always restarts a deleted instance; Halted stops it', async () => {
    await k.client.create(vmPath(), testVm('vm-always', { runStrategy: 'Always' }));
    const first = await waitPhase(k.client, 'vm-always', 'Running');
    await k.client.delete(vmiPath('vm-always'));
    const restarted = await eventually(
      'a new VMI of vm-always Running',
      async () => {
        const v: VirtualMachineInstance | undefined = await getVmi(k.client, 'vm-always');
        return v && v.metadata.uid !== first.metadata.uid && v.status?.phase === 'Running' ? v : undefined;
      },
      { timeoutMs: 120_000 },
    );
    expect(restarted.metadata.uid).not.toBe(first.metadata.uid);
    await patchVm('vm-always', { runStrategy: 'Halted' });
    await waitVmiGone(k.client, 'vm-always');
    await k.client.delete(vmPath('vm-always'));
  });
});
