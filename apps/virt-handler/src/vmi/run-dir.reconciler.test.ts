// The run-dir clean-up against an in-memory run dir: which uids' directories go, and when.
import type { VirtualMachineInstance } from '@qvirt/api';
import { silentLogger } from '@qvirt/log';
import type { LauncherExitRecord } from '@qvirt/launcher-rpc';
import { describe, expect, it } from 'vitest';
import { RunDirReconciler } from './run-dir.reconciler.js';
import type { RunDirs } from './run-dirs.js';
import { testVmi } from '../testing/fixtures.js';

/** Run directories by uid; `answering` uids have a launcher that still accepts connections. */
class FakeRunDirs implements RunDirs {
  readonly dirs = new Set<string>(['uid-1']);
  readonly answering = new Set<string>(['uid-1']);
  async list(): Promise<string[]> {
    return [...this.dirs].sort();
  }
  exists(uid: string): boolean {
    return this.dirs.has(uid);
  }
  async launcherAnswers(uid: string): Promise<boolean> {
    return this.answering.has(uid);
  }
  async remove(uid: string): Promise<void> {
    if (this.answering.has(uid)) throw new Error(`removed ${uid} while its launcher answers`);
    this.dirs.delete(uid);
  }
  async exitRecord(): Promise<LauncherExitRecord | undefined> {
    return undefined;
  }
}

function harness(vmis: VirtualMachineInstance[] = []) {
  const runDirs = new FakeRunDirs();
  const store = { vmis };
  const r = new RunDirReconciler({ vmis: { list: () => store.vmis }, runDirs, logger: silentLogger });
  return { r, runDirs, store };
}

describe('RunDirReconciler', () => {
  it('removes the run directory of a deleted VMI only once its launcher is gone', async () => {
    const h = harness();
    // The launcher still tears its domain down: keep the directory, look again with backoff.
    expect(await h.r.reconcile('uid-1')).toEqual({ requeueAfterMs: 500 });
    expect(await h.r.reconcile('uid-1')).toEqual({ requeueAfterMs: 1000 });
    expect(h.runDirs.dirs.has('uid-1')).toBe(true);
    h.runDirs.answering.delete('uid-1');
    expect(await h.r.reconcile('uid-1')).toBeUndefined();
    expect(h.runDirs.dirs.has('uid-1')).toBe(false);
    expect(await h.r.reconcile('uid-1')).toBeUndefined(); // idempotent: nothing left to do
  });

  it('keeps the run directory of a VMI that still exists, active or final (its logs explain how it ended)', async () => {
    const h = harness([testVmi()]);
    h.runDirs.answering.delete('uid-1');
    expect(await h.r.reconcile('uid-1')).toBeUndefined();
    expect(h.runDirs.dirs.has('uid-1')).toBe(true);
    h.store.vmis = [testVmi({ status: { phase: 'Failed', nodeName: 'node1' } })];
    await h.r.reconcile('uid-1');
    expect(h.runDirs.dirs.has('uid-1')).toBe(true);
    // Deleted later: the directory goes then.
    h.store.vmis = [];
    expect(await h.r.reconcile('uid-1')).toBeUndefined();
    expect(h.runDirs.dirs.has('uid-1')).toBe(false);
  });

  it("a VMI deleted and created again under the same name: the old uid's directory goes, the new one stays", async () => {
    const h = harness([{ ...testVmi(), metadata: { ...testVmi().metadata, uid: 'uid-2' } }]);
    h.runDirs.dirs.add('uid-2');
    h.runDirs.answering.clear();
    await h.r.reconcile('uid-1');
    await h.r.reconcile('uid-2');
    expect([...h.runDirs.dirs]).toEqual(['uid-2']);
  });

  it('at start-up, removes the run directories of VMIs deleted while the handler was down, once their launchers are gone', async () => {
    const h = harness([testVmi()]);
    h.runDirs.dirs.add('uid-gone').add('uid-gone-2');
    h.runDirs.answering.add('uid-gone-2'); // its launcher still tears down
    expect(await h.r.list()).toEqual(['uid-1', 'uid-gone', 'uid-gone-2']);
    expect(await h.r.reconcile('uid-1')).toBeUndefined(); // uid-1 belongs to ns1/vm1
    expect(await h.r.reconcile('uid-gone')).toBeUndefined();
    expect(await h.r.reconcile('uid-gone-2')).toMatchObject({ requeueAfterMs: 500 });
    expect([...h.runDirs.dirs].sort()).toEqual(['uid-1', 'uid-gone-2']);
    h.runDirs.answering.delete('uid-gone-2');
    await h.r.reconcile('uid-gone-2');
    expect([...h.runDirs.dirs]).toEqual(['uid-1']);
  });

  it('an orphan whose VMI shows up after all keeps its directory', async () => {
    const h = harness();
    h.store.vmis = [testVmi()];
    h.runDirs.answering.delete('uid-1');
    await h.r.reconcile('uid-1');
    expect(h.runDirs.dirs.has('uid-1')).toBe(true);
  });
});
