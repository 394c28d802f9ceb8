// A plain VMI from create to delete, against the local stack or QVIRT_E2E_KUBECONFIG.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import type { E2eCluster } from '../src/e2e/cluster.js';
import { closeSuite, openSuite } from '../src/e2e/suite.js';
import { qemuProcesses } from '../src/e2e/node-processes.js';
import { recordPhases } from '../src/e2e/phase-recorder.js';
import { NS, launcherPods, testVmi, vmiPath, waitPhase, waitVmiGone } from '../src/e2e/vmis.js';

let k: E2eCluster;
beforeAll(async () => {
  k = await openSuite();
});
afterAll(async () => {
  await closeSuite(k);
});

describe('VMI lifecycle', () => {
  it('create -> Running -> delete -> Succeeded; launcher pod and domain gone', async () => {
    const rec = recordPhases(k.client, 'lifecycle');
    try {
      await k.client.create(vmiPath(), testVmi('lifecycle'));
      const running = await waitPhase(k.client, 'lifecycle', 'Running');
      const uid = running.metadata.uid!;
      expect(running.status?.nodeName).toBeTruthy();
      const pods = await launcherPods(k.client, uid);
      expect(pods.map((p) => p.status?.phase)).toEqual(['Running']);
      if (k.local) {
        expect(qemuProcesses(`${NS}_lifecycle`)).toHaveLength(1);
        // The guest really boots: its console shows the test guest's marker.
        const { readFile } = await import('node:fs/promises');
        await eventually(
          'guest boot marker',
          async () => ((await readFile(`${k.local!.runDir}/${uid}/console.log`, 'utf8').catch(() => '')).includes('QVIRT-GUEST-BOOTED') ? true : undefined),
          { timeoutMs: 90_000, intervalMs: 500 },
        );
      }

      await k.client.delete(vmiPath('lifecycle'));
      await waitVmiGone(k.client, 'lifecycle');
      await eventually('watch saw the deletion', async () => (rec.deleted() ? true : undefined), { timeoutMs: 10_000 });
      expect(rec.phases).toContain('Running');
      expect(rec.phases.at(-1)).toBe('Succeeded');
      await eventually('launcher pod gone', async () => ((await launcherPods(k.client, uid)).length === 0 ? true : undefined), { timeoutMs: 60_000 });
      if (k.local) expect(qemuProcesses(`${NS}_lifecycle`)).toEqual([]);
    } finally {
      rec.stop();
    }
  });
});
