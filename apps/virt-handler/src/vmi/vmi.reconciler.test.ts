// The side-effect layer against InMemoryDomainManager (libvirt's observable behaviour, no daemon).
import { describe, expect, it } from 'vitest';
import type { VirtualMachineInstance } from '@qvirt/api';
import { silentLogger } from '@qvirt/kube';
import { InMemoryDomainManager, type LifecycleEvent } from '@qvirt/libvirt';
import type { LauncherExitRecord, ResourceAllocation } from '@qvirt/launcher-rpc';
import type { LauncherConnector, SessionHooks } from './launcher-session.js';
import type { RunDirs } from './run-dirs.js';
import { VmiReconciler } from './vmi.reconciler.js';
import { testVmi } from './test-vmis.fixture.js';

class FakeLauncher implements LauncherConnector {
  readonly domains = new InMemoryDomainManager();
  socket = true;
  ready = true;
  allocations: ResourceAllocation[] = [];
  opens = 0;
  hooks: SessionHooks | undefined;
  private unsubscribe: (() => void) | undefined;
  socketExists(): boolean {
    return this.socket;
  }
  async open(_socket: string, hooks: SessionHooks) {
    if (!this.ready) return { kind: 'notReady' as const, cause: 'not ready' };
    this.opens++;
    this.hooks = hooks;
    this.unsubscribe = await this.domains.onLifecycle((e: LifecycleEvent) => hooks.onLifecycle(e));
    return {
      kind: 'open' as const,
      session: { domains: this.domains, consoleLog: '/run/x/console.log', getAllocation: async () => this.allocations, close: async () => this.unsubscribe?.() },
    };
  }
}

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
  readonly exits = new Map<string, LauncherExitRecord>();
  async exitRecord(uid: string): Promise<LauncherExitRecord | undefined> {
    return this.exits.get(uid);
  }
}

function harness(vmi: VirtualMachineInstance, launcher = new FakeLauncher(), runDirs = new FakeRunDirs()) {
  const store = { vmi, deleted: false };
  const writes: Record<string, unknown>[] = [];
  let clock = 1_000_000;
  const r = new VmiReconciler({
    nodeName: 'node1',
    runDir: '/run/x',
    vmis: { get: () => (store.deleted ? undefined : store.vmi), list: () => (store.deleted ? [] : [store.vmi]) },
    runDirs,
    connector: launcher,
    kvm: false,
    enqueue: () => undefined,
    logger: silentLogger,
    now: () => clock,
    writeStatus: async (v, build) => {
      const patch = build(v);
      if (!patch) return;
      writes.push(patch);
      store.vmi = { ...store.vmi, status: { ...store.vmi.status, ...(patch as object) } };
    },
  });
  return { r, store, writes, launcher, runDirs, tick: (ms: number) => (clock += ms), settle: () => new Promise((res) => setImmediate(res)) };
}

describe('VmiReconciler', () => {
  it('starts a scheduled VMI once its launcher answers, and writes Running once', async () => {
    const h = harness(testVmi());
    h.launcher.socket = false;
    expect(await h.r.reconcile('ns1/vm1')).toMatchObject({ requeueAfterMs: 400 });
    expect(h.writes).toEqual([]);
    h.launcher.socket = true;
    await h.r.reconcile('ns1/vm1');
    expect((await h.launcher.domains.list()).map((d) => [d.name, d.state])).toEqual([['ns1_vm1', 'running']]);
    expect(await h.launcher.domains.xml('ns1_vm1')).toContain('/run/x/console.log');
    expect(h.store.vmi.status?.phase).toBe('Running');
    await h.r.reconcile('ns1/vm1');
    expect(h.writes).toHaveLength(1);
  });

  it('an allocation with fewer addresses than devices fails the VMI with the typed message; nothing is defined', async () => {
    const h = harness(testVmi({ qat: true }));
    h.launcher.allocations = [{ resourceName: 'qat.intel.com/generic', pciAddresses: [], sourceEnv: 'PCI_RESOURCE_QAT_INTEL_COM_GENERIC' }];
    await h.r.reconcile('ns1/vm1');
    expect(h.store.vmi.status).toMatchObject({ phase: 'Failed', reason: 'AllocationFailed', message: 'resource qat.intel.com/generic: 1 device requested, 0 addresses allocated (set PCI_RESOURCE_QAT_INTEL_COM_GENERIC)' });
    expect(await h.launcher.domains.list()).toEqual([]);
    expect(h.r.sessions()).toEqual([]);
  });

  it('resumes a running VM after a restart without redefining or restarting it', async () => {
    const launcher = new FakeLauncher();
    await launcher.domains.define('<domain><name>ns1_vm1</name></domain>');
    await launcher.domains.start('ns1_vm1');
    const h = harness(testVmi({ status: { phase: 'Running', nodeName: 'node1' } }), launcher);
    await h.settle();
    const events: string[] = [];
    await launcher.domains.onLifecycle((e) => events.push(`${e.event}/${e.detail}`));
    await h.r.reconcile('ns1/vm1');
    await h.settle();
    expect(events).toEqual([]); // no define, no start
    expect(await launcher.domains.xml('ns1_vm1')).toBe('<domain><name>ns1_vm1</name></domain>');
    expect(h.store.vmi.status?.phase).toBe('Running');
  });

  it('deletion: ACPI, re-sent while the guest ignores it, destroy after the grace period, then Succeeded', async () => {
    const h = harness(testVmi());
    await h.r.reconcile('ns1/vm1');
    h.launcher.domains.guestObeysAcpi = false;
    h.store.vmi = { ...h.store.vmi, metadata: { ...h.store.vmi.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { ...h.store.vmi.spec, terminationGracePeriodSeconds: 10 } };
    const shutdowns: number[] = [];
    const orig = h.launcher.domains.shutdown.bind(h.launcher.domains);
    h.launcher.domains.shutdown = async (n) => {
      shutdowns.push(1);
      return orig(n);
    };
    expect(await h.r.reconcile('ns1/vm1')).toEqual({ requeueAfterMs: 3000 });
    h.tick(3000);
    await h.r.reconcile('ns1/vm1');
    expect(shutdowns).toHaveLength(2);
    h.tick(7000);
    await h.r.reconcile('ns1/vm1');
    await h.settle();
    expect((await h.launcher.domains.state('ns1_vm1'))).toEqual({ state: 'shutoff', reason: 'destroyed' });
    expect(h.store.vmi.status?.phase).toBe('Succeeded');
  });

  it('a launcher that vanishes under a running VMI fails it with the cause', async () => {
    const h = harness(testVmi());
    await h.r.reconcile('ns1/vm1');
    h.launcher.hooks!.onLost('connection to its libvirtd closed (eof)');
    await h.r.reconcile('ns1/vm1');
    expect(h.store.vmi.status).toMatchObject({ phase: 'Failed', reason: 'LauncherExited', message: 'launcher for VMI ns1/vm1 exited: connection to its libvirtd closed (eof)' });
  });

  it('a guest that shuts itself down: Succeeded from the lifecycle event, even once the launcher is gone, whatever its exit record says', async () => {
    const h = harness(testVmi());
    await h.r.reconcile('ns1/vm1');
    await h.launcher.domains.shutdown('ns1_vm1');
    await h.settle();
    await h.settle();
    // Contradicts the event on purpose: what the handler saw itself stands.
    h.runDirs.exits.set('uid-1', { code: 1, reason: 'the guest crashed', domainStopReason: 'crashed', time: '2026-11-26T10:00:00.000Z' });
    h.launcher.hooks!.onLost('connection to its libvirtd closed (eof)');
    await h.r.reconcile('ns1/vm1');
    expect(h.store.vmi.status?.phase).toBe('Succeeded');
  });

  it('a handler restarted after its launcher ended (no event seen): the exit record decides, not the missing socket', async () => {
    const running = { status: { phase: 'Running' as const, nodeName: 'node1' } };
    const time = '2026-11-26T10:00:00.000Z';
    const cases: [LauncherExitRecord | undefined, Record<string, unknown>][] = [
      [{ code: 0, reason: 'the guest shut down', domainStopReason: 'shutdown', time }, { phase: 'Succeeded' }],
      [{ code: 1, reason: 'the guest crashed', domainStopReason: 'crashed', time }, { phase: 'Failed', reason: 'GuestCrashed', message: 'domain ns1_vm1 crashed (crashed)' }],
      [
        { code: 4, reason: "connection to the launcher's libvirtd lost (eof)", time },
        { phase: 'Failed', reason: 'LauncherExited', message: "launcher for VMI ns1/vm1 exited: connection to the launcher's libvirtd lost (eof) (exit code 4)" },
      ],
      // A launcher killed outright leaves no record: the gone socket is all there is.
      [undefined, { phase: 'Failed', reason: 'LauncherExited', message: 'launcher for VMI ns1/vm1 exited: launcher socket /run/x/sockets/uid-1.sock does not exist' }],
    ];
    for (const [record, status] of cases) {
      const h = harness(testVmi(running));
      h.launcher.socket = false;
      if (record) h.runDirs.exits.set('uid-1', record);
      await h.r.reconcile('ns1/vm1');
      expect(h.store.vmi.status).toMatchObject(status);
      expect(h.launcher.opens).toBe(0);
    }
  });

  it('removes the run directory of a deleted VMI only once its launcher is gone', async () => {
    const h = harness(testVmi());
    await h.r.reconcile('ns1/vm1');
    expect(h.store.vmi.status?.phase).toBe('Running');
    h.store.deleted = true;
    // The launcher still tears its domain down: keep the directory, look again with backoff.
    expect(await h.r.reconcile('ns1/vm1')).toEqual({ requeueAfterMs: 500 });
    expect(h.r.sessions()).toEqual([]);
    expect(await h.r.reconcile('ns1/vm1')).toEqual({ requeueAfterMs: 1000 });
    expect(h.runDirs.dirs.has('uid-1')).toBe(true);
    h.runDirs.answering.delete('uid-1');
    expect(await h.r.reconcile('ns1/vm1')).toBeUndefined();
    expect(h.runDirs.dirs.has('uid-1')).toBe(false);
    expect(await h.r.reconcile('ns1/vm1')).toBeUndefined(); // idempotent: nothing left to do
  });

  it('keeps the run directory of a VMI that still exists, active or final (its logs explain how it ended)', async () => {
    const h = harness(testVmi());
    await h.r.reconcile('ns1/vm1');
    h.runDirs.answering.delete('uid-1');
    await h.r.reconcile('ns1/vm1'); // Running, launcher not probed: the directory stays
    expect(h.runDirs.dirs.has('uid-1')).toBe(true);
    h.store.vmi = { ...h.store.vmi, status: { ...h.store.vmi.status, phase: 'Failed' } };
    await h.r.reconcile('ns1/vm1');
    expect(h.runDirs.dirs.has('uid-1')).toBe(true);
    // Deleted later (after the handler released it): the directory goes then.
    h.store.deleted = true;
    expect(await h.r.reconcile('ns1/vm1')).toBeUndefined();
    expect(h.runDirs.dirs.has('uid-1')).toBe(false);
  });

  it('a VMI deleted and created again under the same name: the old uid\'s directory goes, the new one stays', async () => {
    const h = harness(testVmi());
    await h.r.reconcile('ns1/vm1');
    h.runDirs.dirs.add('uid-2');
    h.runDirs.answering.clear();
    h.store.vmi = { ...testVmi(), metadata: { ...testVmi().metadata, uid: 'uid-2' } };
    await h.r.reconcile('ns1/vm1');
    expect([...h.runDirs.dirs]).toEqual(['uid-2']);
  });

  it('at start-up, removes the run directories of VMIs deleted while the handler was down, once their launchers are gone', async () => {
    const h = harness(testVmi());
    h.runDirs.dirs.add('uid-gone').add('uid-gone-2');
    h.runDirs.answering.add('uid-gone-2'); // its launcher still tears down
    const keys = await h.r.orphanRunDirKeys();
    expect(keys).toEqual(['#run-dir/uid-gone', '#run-dir/uid-gone-2']); // uid-1 belongs to ns1/vm1
    expect(await h.r.reconcile(keys[0]!)).toBeUndefined();
    expect(await h.r.reconcile(keys[1]!)).toMatchObject({ requeueAfterMs: 500 });
    expect([...h.runDirs.dirs].sort()).toEqual(['uid-1', 'uid-gone-2']);
    h.runDirs.answering.delete('uid-gone-2');
    await h.r.reconcile(keys[1]!);
    expect([...h.runDirs.dirs]).toEqual(['uid-1']);
  });

  it('an orphan whose VMI shows up after all keeps its directory', async () => {
    const h = harness(testVmi());
    h.store.deleted = true;
    const [key] = await h.r.orphanRunDirKeys();
    expect(key).toBe('#run-dir/uid-1');
    h.store.deleted = false;
    h.runDirs.answering.delete('uid-1');
    await h.r.reconcile(key!);
    expect(h.runDirs.dirs.has('uid-1')).toBe(true);
  });

  it('a reconcile before the informer has our Running write builds on that write: no second PATCH', async () => {
    const stale = { ...testVmi(), metadata: { ...testVmi().metadata, resourceVersion: '5' } };
    const patches: Record<string, unknown>[] = [];
    let rv = 5;
    const r = new VmiReconciler({
      nodeName: 'node1',
      runDir: '/run/x',
      vmis: { get: () => stale, list: () => [stale] }, // the informer never catches up in this test
      connector: new FakeLauncher(),
      runDirs: new FakeRunDirs(),
      kvm: false,
      enqueue: () => undefined,
      logger: silentLogger,
      writeStatus: async (v, build) => {
        const patch = build(v);
        if (!patch) return undefined;
        patches.push(patch);
        return { ...v, metadata: { ...v.metadata, resourceVersion: String(++rv) }, status: { ...v.status, ...(patch as object) } };
      },
    });
    await r.reconcile('ns1/vm1');
    expect(patches.map((p) => p['phase'])).toEqual(['Running']);
    await r.reconcile('ns1/vm1'); // e.g. the domain's RESUMED event
    await r.reconcile('ns1/vm1');
    expect(patches).toHaveLength(1);
  });
});

