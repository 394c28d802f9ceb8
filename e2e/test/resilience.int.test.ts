// Killing virt-controller and virt-handler (deleting their pods at once, as a crash or node loss
// would) and bringing them back mid-lifecycle loses no VMI and leaks no domain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import type { E2eCluster } from '../src/e2e/cluster.js';
import { closeSuite, openSuite } from '../src/e2e/suite.js';
import { qemuProcesses } from '../src/e2e/node-processes.js';
import { NS, getVmi, launcherPods, testVmi, vmiPath, waitPhase, waitVmiGone } from '../src/e2e/vmis.js';

let k: E2eCluster;
beforeAll(async () => {
  k = await openSuite();
});
afterAll(async () => {
  // Whatever happened, leave every component running for the next suite.
  if (k) for (const c of k.control.restartable) await k.control.start(c).catch(() => undefined);
  await closeSuite(k);
});

describe('component restarts mid-lifecycle', () => {
  it('each component killed while VMIs are created, run and deleted', async () => {
    const seen = new Map<string, string>();
    let n = 0;
    for (const component of k.control.restartable) {
      // A VMI already running through the restart, and one created while the component is down.
      const before = `before-${n}`;
      const during = `during-${n++}`;
      await k.client.create(vmiPath(), testVmi(before));
      const running = await waitPhase(k.client, before, 'Running');
      seen.set(before, running.metadata.uid!);
      await k.control.kill(component);
      await k.client.create(vmiPath(), testVmi(during));
      await k.client.delete(vmiPath(before));
      await new Promise((r) => setTimeout(r, 2000));
      await k.control.start(component);
      const dur = await waitPhase(k.client, during, 'Running', 180_000);
      seen.set(during, dur.metadata.uid!);
      await waitVmiGone(k.client, before, 180_000);
      await eventually(`${before}'s launcher pod gone`, async () => ((await launcherPods(k.client, seen.get(before)!)).length === 0 ? true : undefined), {
        timeoutMs: 120_000,
      });
      if (k.local)
        await eventually(`${before}'s QEMU gone`, async () => (qemuProcesses(`${NS}_${before}`).length === 0 ? true : undefined), { timeoutMs: 60_000 });
      expect((await getVmi(k.client, during))?.status?.phase, `${component}: VMI created while it was down`).toBe('Running');
    }
    for (const name of [...seen.keys()].filter((s) => s.startsWith('during-'))) await k.client.delete(vmiPath(name));
    for (const name of [...seen.keys()].filter((s) => s.startsWith('during-'))) await waitVmiGone(k.client, name, 180_000);
    if (k.local) for (const name of seen.keys()) expect(qemuProcesses(`${NS}_${name}`), name).toEqual([]);
  });
});
