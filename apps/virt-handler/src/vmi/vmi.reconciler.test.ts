// The side-effect layer against InMemoryDomainManager (libvirt's observable behaviour, no daemon).
import { describe, expect, it } from 'vitest';
import type { VirtualMachineInstance } from '@qvirt/api';
import { silentLogger } from '@qvirt/log';
import type { LifecycleEvent } from '@qvirt/libvirt';
import { InMemoryDomainManager } from '@qvirt/libvirt/testing';
import type { LauncherExitRecord, ResourceAllocation } from '@qvirt/launcher-rpc';
import type { LauncherConnector, SessionHooks } from './launcher-session.js';
import { VmiReconciler } from './vmi.reconciler.js';
import { testVmi } from '../testing/fixtures.js';

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
      session: {
        domains: this.domains,
        consoleLog: '/run/x/console.log',
        getAllocation: async () => this.allocations,
        close: async () => this.unsubscribe?.(),
      },
    };
  }
}

const ref = { namespace: 'ns1', name: 'vm1' };

function harness(vmi: VirtualMachineInstance, launcher = new FakeLauncher()) {
  /** The launchers' exit records, by uid. */
  const exits = new Map<string, LauncherExitRecord>();
  const store = { vmi, deleted: false };
  const writes: Record<string, unknown>[] = [];
  const gone: string[] = [];
  let clock = 1_000_000;
  const r = new VmiReconciler({
    nodeName: 'node1',
    runDir: '/run/x',
    vmis: { get: () => (store.deleted ? undefined : store.vmi), list: () => (store.deleted ? [] : [store.vmi]) },
    exitRecord: async (uid) => exits.get(uid),
    onGone: (uid) => gone.push(uid),
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
  return { r, store, writes, gone, launcher, exits, tick: (ms: number) => (clock += ms), settle: () => new Promise((res) => setImmediate(res)) };
}

describe('VmiReconciler', () => {
  it('starts a scheduled VMI once its launcher answers, and writes Running once', async () => {
    const h = harness(testVmi());
    h.launcher.socket = false;
    expect(await h.r.reconcile(ref)).toMatchObject({ requeueAfterMs: 400 });
    expect(h.writes).toEqual([]);
    h.launcher.socket = true;
    await h.r.reconcile(ref);
    expect((await h.launcher.domains.list()).map((d) => [d.name, d.state])).toEqual([['ns1_vm1', 'running']]);
    expect(await h.launcher.domains.xml('ns1_vm1')).toContain('/run/x/console.log');
    expect(h.store.vmi.status?.phase).toBe('Running');
    await h.r.reconcile(ref);
    expect(h.writes).toHaveLength(1);
  });

  it('an allocation with fewer addresses than devices fails the VMI with the typed message; nothing is defined', async () => {
    const h = harness(testVmi({ qat: true }));
    h.launcher.allocations = [{ resourceName: 'qat.intel.com/generic', pciAddresses: [], sourceEnv: 'PCI_RESOURCE_QAT_INTEL_COM_GENERIC' }];
    await h.r.reconcile(ref);
    expect(h.store.vmi.status).toMatchObject({
      phase: 'Failed',
      reason: 'AllocationFailed',
      message: 'resource qat.intel.com/generic: 1 device requested, 0 addresses allocated (set PCI_RESOURCE_QAT_INTEL_COM_GENERIC)',
    });
    expect(await h.launcher.domains.list()).toEqual([]);
    expect(h.r.sessions.keys()).toEqual([]);
  });

  it('resumes a running VM after a restart without redefining or restarting it', async () => {
    const launcher = new FakeLauncher();
    await launcher.domains.define('<domain><name>ns1_vm1</name></domain>');
    await launcher.domains.start('ns1_vm1');
    const h = harness(testVmi({ status: { phase: 'Running', nodeName: 'node1' } }), launcher);
    await h.settle();
    const events: string[] = [];
    await launcher.domains.onLifecycle((e) => events.push(`${e.event}/${e.detail}`));
    await h.r.reconcile(ref);
    await h.settle();
    expect(events).toEqual([]); // no define, no start
    expect(await launcher.domains.xml('ns1_vm1')).toBe('<domain><name>ns1_vm1</name></domain>');
    expect(h.store.vmi.status?.phase).toBe('Running');
  });

  it('deletion: ACPI, re-sent while the guest ignores it, destroy after the grace period, then Succeeded', async () => {
    const h = harness(testVmi());
    await h.r.reconcile(ref);
    h.launcher.domains.guestObeysAcpi = false;
    h.store.vmi = {
      ...h.store.vmi,
      metadata: { ...h.store.vmi.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
      spec: { ...h.store.vmi.spec, terminationGracePeriodSeconds: 10 },
    };
    const shutdowns: number[] = [];
    const orig = h.launcher.domains.shutdown.bind(h.launcher.domains);
    h.launcher.domains.shutdown = async (n) => {
      shutdowns.push(1);
      return orig(n);
    };
    expect(await h.r.reconcile(ref)).toEqual({ requeueAfterMs: 3000 });
    h.tick(3000);
    await h.r.reconcile(ref);
    expect(shutdowns).toHaveLength(2);
    h.tick(7000);
    await h.r.reconcile(ref);
    await h.settle();
    expect(await h.launcher.domains.state('ns1_vm1')).toEqual({ state: 'shutoff', reason: 'destroyed' });
    expect(h.store.vmi.status?.phase).toBe('Succeeded');
  });

  it('a launcher that vanishes under a running VMI fails it with the cause', async () => {
    const h = harness(testVmi());
    await h.r.reconcile(ref);
    h.launcher.hooks!.onLost('connection to its libvirtd closed (eof)');
    await h.r.reconcile(ref);
    expect(h.store.vmi.status).toMatchObject({
      phase: 'Failed',
      reason: 'LauncherExited',
      message: 'launcher for VMI ns1/vm1 exited: connection to its libvirtd closed (eof)',
    });
  });

  it('a guest that shuts itself down: Succeeded from the lifecycle event, even once the launcher is gone, whatever its exit record says', async () => {
    const h = harness(testVmi());
    await h.r.reconcile(ref);
    await h.launcher.domains.shutdown('ns1_vm1');
    await h.settle();
    await h.settle();
    // Contradicts the event on purpose: what the handler saw itself stands.
    h.exits.set('uid-1', { code: 1, reason: 'the guest crashed', domainStopReason: 'crashed', time: '2026-11-26T10:00:00.000Z' });
    h.launcher.hooks!.onLost('connection to its libvirtd closed (eof)');
    await h.r.reconcile(ref);
    expect(h.store.vmi.status?.phase).toBe('Succeeded');
  });

  it('a handler restarted after its launcher ended (no event seen): the exit record decides, not the missing socket', async () => {
    const running = { status: { phase: 'Running' as const, nodeName: 'node1' } };
    const time = '2026-11-26T10:00:00.000Z';
    const cases: [LauncherExitRecord | undefined, Record<string, unknown>][] = [
      [{ code: 0, reason: 'the guest shut down', domainStopReason: 'shutdown', time }, { phase: 'Succeeded' }],
      [
        { code: 1, reason: 'the guest crashed', domainStopReason: 'crashed', time },
        { phase: 'Failed', reason: 'GuestCrashed', message: 'domain ns1_vm1 crashed (crashed)' },
      ],
      [
        { code: 4, reason: "connection to the launcher's libvirtd lost (eof)", time },
        {
          phase: 'Failed',
          reason: 'LauncherExited',
          message: "launcher for VMI ns1/vm1 exited: connection to the launcher's libvirtd lost (eof) (exit code 4)",
        },
      ],
      // A launcher killed outright leaves no record: the gone socket is all there is.
      [
        undefined,
        { phase: 'Failed', reason: 'LauncherExited', message: 'launcher for VMI ns1/vm1 exited: launcher socket /run/x/sockets/uid-1.sock does not exist' },
      ],
    ];
    for (const [record, status] of cases) {
      const h = harness(testVmi(running));
      h.launcher.socket = false;
      if (record) h.exits.set('uid-1', record);
      await h.r.reconcile(ref);
      expect(h.store.vmi.status).toMatchObject(status);
      expect(h.launcher.opens).toBe(0);
    }
  });

  it('a deleted VMI: its session is released and its uid handed on for the run-dir clean-up, once', async () => {
    const h = harness(testVmi());
    await h.r.reconcile(ref);
    expect(h.r.sessions.keys()).toEqual(['ns1/vm1']);
    h.store.deleted = true;
    expect(await h.r.reconcile(ref)).toBeUndefined();
    expect(h.r.sessions.keys()).toEqual([]);
    expect(h.gone).toEqual(['uid-1']);
    await h.r.reconcile(ref);
    expect(h.gone).toEqual(['uid-1']);
  });

  it('a VMI deleted and created again under the same name: the old uid is handed on, the new one is followed', async () => {
    const h = harness(testVmi());
    await h.r.reconcile(ref);
    h.store.vmi = { ...testVmi(), metadata: { ...testVmi().metadata, uid: 'uid-2' } };
    await h.r.reconcile(ref);
    expect(h.gone).toEqual(['uid-1']);
  });

  it('a final VMI that still exists keeps its uid (its logs explain how it ended)', async () => {
    const h = harness(testVmi());
    await h.r.reconcile(ref);
    h.store.vmi = { ...h.store.vmi, status: { ...h.store.vmi.status, phase: 'Failed' } };
    await h.r.reconcile(ref);
    expect(h.gone).toEqual([]);
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
      exitRecord: async () => undefined,
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
    await r.reconcile(ref);
    expect(patches.map((p) => p['phase'])).toEqual(['Running']);
    await r.reconcile(ref); // e.g. the domain's RESUMED event
    await r.reconcile(ref);
    expect(patches).toHaveLength(1);
  });
});
