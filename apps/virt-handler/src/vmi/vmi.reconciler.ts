// The thin side-effect layer of the VMI sync: observe (launcher, domain), ask the pure
// deciders what to do (domain-action.ts, vmi-status.ts), do it, write the status.
// Level-based: every reconcile re-reads the live domain state; events only make it sooner.
import { isFinalPhase, launcherSocketPath, requestedResources, type VirtualMachineInstance } from '@qvirt/api';
import { AllocationError, DomainRenderError, acpiSent, assignDevices, renderDomain, type AcpiRequests } from '@qvirt/domain';
import { OwnStatusWrites, errFields, type Logger, type ReconcileResult } from '@qvirt/kube';
import { LauncherRpcError, type LauncherExitRecord } from '@qvirt/launcher-rpc';
import { LibvirtError, isConnectionLost, isNotFound, isOperationInvalid, type LifecycleEvent } from '@qvirt/libvirt';
import { DEFAULT_DOMAIN_ACTION_OPTIONS, planDomainAction, type DomainAction, type DomainActionOptions } from './domain-action.js';
import type { LauncherConnector, LauncherSession } from './launcher-session.js';
import { orphanRunDirUids, planRunDirCleanup, unusedRunDirUid } from './run-dir-cleanup.js';
import { fsRunDirs, type RunDirs } from './run-dirs.js';
import { allocatedDevices, desiredStatusPatch, observedPhase } from './vmi-status.js';
import { domainNameOf, isHandledPhase, vmiRef, type Failure, type VmiObservation } from './vmi-observation.js';

/** Queue keys of orphaned run directories: `#` is in no namespace name, so no VMI key starts with it. */
const ORPHAN_KEY_PREFIX = '#run-dir/';

export interface EventSink {
  event(obj: VirtualMachineInstance, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
}

/** Writes `/status` as a merge patch built from the current object (conflict retry inside); returns the written object, if any. */
export type StatusWriter = (vmi: VirtualMachineInstance, build: (current: VirtualMachineInstance) => Record<string, unknown> | undefined) => Promise<VirtualMachineInstance | undefined | void>;

export interface VmiReconcilerOptions {
  nodeName: string;
  runDir: string;
  vmis: { get(namespace: string | undefined, name: string): VirtualMachineInstance | undefined; list(): VirtualMachineInstance[] };
  connector: LauncherConnector;
  writeStatus: StatusWriter;
  /** Node facts for rendering (the launcher adds the console log path). */
  kvm: boolean;
  /** Called when an event or a lost connection needs the key looked at again. */
  enqueue: (key: string) => void;
  logger: Logger;
  events?: EventSink;
  now?: () => number;
  actionOptions?: DomainActionOptions;
  /** Re-check a running VMI this often even without events. Default 30 s. */
  resyncMs?: number;
  /** Probes and removes `<run-dir>/<uid>/`. Default: the filesystem under runDir. */
  runDirs?: RunDirs;
}

/** What events and earlier reconciles taught us about one VMI (lost on handler restart: re-observed). */
interface VmiRuntime {
  uid: string;
  session?: LauncherSession;
  lost?: string;
  ended?: { event: string; detail: string };
  devices?: VmiObservation['devices'];
  failure?: Failure;
  shutdown?: AcpiRequests;
  failures: number;
  /** The launcher's exit record, once read. */
  exit?: LauncherExitRecord;
}

export class VmiReconciler {
  private readonly runtimes = new Map<string, VmiRuntime>();
  /** Run directories of deleted or final VMIs, by uid, waiting for their launcher to be gone. */
  private readonly unusedDirs = new Map<string, { key: string; attempts: number }>();
  /** Final VMIs of this node (key -> uid): their directories stay until the VMI is deleted. */
  private readonly finishedUids = new Map<string, string>();
  private readonly runDirs: RunDirs;
  private readonly ownWrites = new OwnStatusWrites<VirtualMachineInstance>();
  private readonly now: () => number;
  private readonly actionOptions: DomainActionOptions;

  constructor(private readonly o: VmiReconcilerOptions) {
    this.now = o.now ?? Date.now;
    this.actionOptions = o.actionOptions ?? DEFAULT_DOMAIN_ACTION_OPTIONS;
    this.runDirs = o.runDirs ?? fsRunDirs(o.runDir);
  }

  /** Keys with a live launcher session (tests, metrics). */
  sessions(): string[] {
    return [...this.runtimes.entries()].filter(([, r]) => r.session).map(([k]) => k);
  }

  /**
   * Queue keys for the run directories that no VMI owns (deleted while the handler was down,
   * so no delete event will name them). Call once the VMI cache has synced.
   */
  async orphanRunDirKeys(): Promise<string[]> {
    const owned = new Set(this.o.vmis.list().map((v) => v.metadata.uid ?? ''));
    const keys: string[] = [];
    for (const uid of orphanRunDirUids(await this.runDirs.list(), owned)) {
      const key = `${ORPHAN_KEY_PREFIX}${uid}`;
      if (!this.unusedDirs.has(uid)) this.unusedDirs.set(uid, { key, attempts: 0 });
      keys.push(key);
    }
    if (keys.length > 0) this.o.logger.info({ uids: keys.map((k) => k.slice(ORPHAN_KEY_PREFIX.length)) }, 'run directories of VMIs deleted while the handler was down');
    return keys;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    if (key.startsWith(ORPHAN_KEY_PREFIX)) return this.cleanOrphan(key, key.slice(ORPHAN_KEY_PREFIX.length));
    const [namespace, name] = splitKey(key);
    const vmi = this.o.vmis.get(namespace, name);
    const knownUid = this.runtimes.get(key)?.uid ?? this.finishedUids.get(key);
    if (!vmi || vmi.status?.nodeName !== this.o.nodeName || isFinalPhase(vmi.status?.phase)) {
      const unused = unusedRunDirUid(vmi, knownUid);
      if (vmi?.metadata.uid && vmi.status?.nodeName === this.o.nodeName && isFinalPhase(vmi.status?.phase)) this.finishedUids.set(key, vmi.metadata.uid);
      else this.finishedUids.delete(key);
      await this.release(key);
      if (!vmi) this.ownWrites.forget(key);
      if (unused && !this.unusedDirs.has(unused)) this.unusedDirs.set(unused, { key, attempts: 0 });
      return this.cleanRunDirs(key);
    }
    if (!isHandledPhase(vmi.status?.phase)) return;
    if (knownUid && knownUid !== vmi.metadata.uid && !this.unusedDirs.has(knownUid)) this.unusedDirs.set(knownUid, { key, attempts: 0 });
    this.finishedUids.delete(key);
    const rt = this.runtime(key, vmi);
    // A same-named VMI deleted before this one: its directory (every path below requeues, so this is retried).
    await this.cleanRunDirs(key);
    let obs = await this.observe(key, vmi, rt);
    const action = planDomainAction(vmi, obs, this.now(), this.actionOptions);
    if (await this.act(vmi, rt, action)) obs = await this.observe(key, vmi, rt);
    // Lifecycle events right after our own write would otherwise patch the stale cached object (409 + GET + no-op).
    const written = await this.o.writeStatus(this.ownWrites.freshest(key, vmi), (current) => desiredStatusPatch(current, obs, new Date(this.now())));
    this.ownWrites.record(key, vmi, written ?? undefined);
    if (isFinalPhase(observedPhase(vmi, obs).phase)) return this.release(key);
    const next = planDomainAction(vmi, obs, this.now(), this.actionOptions);
    if (next.kind === 'wait') return { requeueAfterMs: next.afterMs };
    if (next.kind !== 'none') return { requeueAfterMs: 100 };
    return { requeueAfterMs: this.o.resyncMs ?? 30_000 };
  }

  /** Closes every launcher session (handler shutdown); domains keep running. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.runtimes.keys()].map((k) => this.release(k)));
  }

  private runtime(key: string, vmi: VirtualMachineInstance): VmiRuntime {
    const uid = vmi.metadata.uid ?? '';
    let rt = this.runtimes.get(key);
    if (rt && rt.uid !== uid) {
      // Same name, new object: nothing of the old one applies.
      void rt.session?.close().catch(() => undefined);
      if (!this.unusedDirs.has(rt.uid)) this.unusedDirs.set(rt.uid, { key, attempts: 0 });
      rt = undefined;
    }
    if (!rt) {
      rt = { uid, failures: 0 };
      this.runtimes.set(key, rt);
    }
    return rt;
  }

  private async release(key: string): Promise<void> {
    const rt = this.runtimes.get(key);
    this.runtimes.delete(key);
    if (rt?.session) {
      const s = rt.session;
      rt.session = undefined;
      await s.close().catch((err: unknown) => this.o.logger.warn({ key, ...errFields(err) }, 'closing launcher session failed'));
    }
  }

  private async cleanOrphan(key: string, uid: string): Promise<ReconcileResult | void> {
    // A VMI with this uid turned up after all (created as the handler started): its own key keeps the directory.
    if (this.o.vmis.list().some((v) => v.metadata.uid === uid)) {
      this.unusedDirs.delete(uid);
      return;
    }
    return this.cleanRunDirs(key);
  }

  /** Removes the unused run directories of this key whose launcher is gone; requeues while one still answers. */
  private async cleanRunDirs(key: string): Promise<ReconcileResult | void> {
    let afterMs: number | undefined;
    for (const [uid, e] of [...this.unusedDirs]) {
      if (e.key !== key) continue;
      const dirExists = this.runDirs.exists(uid);
      const step = planRunDirCleanup({ uid, dirExists, launcherAnswers: dirExists && (await this.runDirs.launcherAnswers(uid)), attempts: e.attempts });
      if (step.kind === 'wait') {
        e.attempts++;
        afterMs = Math.min(afterMs ?? Infinity, step.afterMs);
        continue;
      }
      if (step.kind === 'remove') {
        await this.runDirs.remove(uid);
        this.o.logger.info({ key, uid }, 'removed the run directory of a VMI whose launcher is gone');
      }
      this.unusedDirs.delete(uid);
    }
    return afterMs === undefined ? undefined : { requeueAfterMs: afterMs };
  }

  private async observe(key: string, vmi: VirtualMachineInstance, rt: VmiRuntime): Promise<VmiObservation> {
    const base = { ended: rt.ended, devices: rt.devices, failure: rt.failure, shutdown: rt.shutdown };
    const gone = async (cause: string): Promise<VmiObservation> => {
      rt.lost ??= cause;
      const s = rt.session;
      rt.session = undefined;
      await s?.close().catch(() => undefined);
      await this.learnExit(key, rt);
      return { ...base, ended: rt.ended, launcher: { kind: 'gone', cause: rt.lost } };
    };
    if (rt.lost) return gone(rt.lost);
    if (!rt.session) {
      const socket = launcherSocketPath(this.o.runDir, rt.uid);
      const unreachable = (cause: string, socketExists: boolean): VmiObservation => ({ ...base, launcher: { kind: 'unreachable', cause, socketExists, failures: ++rt.failures } });
      if (!this.o.connector.socketExists(socket)) {
        // Never seen by this handler process (it restarted), and already ended: its record says how.
        if (await this.learnExit(key, rt)) return gone(rt.lost ?? 'the launcher exited');
        return unreachable(`launcher socket ${socket} does not exist`, false);
      }
      try {
        const r = await this.o.connector.open(socket, this.hooks(key, vmi, rt));
        if (r.kind === 'notReady') return unreachable(r.cause, true);
        rt.session = r.session;
        rt.failures = 0;
        this.o.logger.info({ vmi: vmi.metadata.name, namespace: vmi.metadata.namespace, socket }, 'connected to the launcher');
      } catch (err) {
        return unreachable(err instanceof Error ? err.message : String(err), true);
      }
    }
    try {
      const st = await rt.session.domains.state(domainNameOf(vmi));
      return { ...base, launcher: { kind: 'connected', domain: { kind: 'present', state: st.state, reason: st.reason } } };
    } catch (err) {
      if (isNotFound(err)) return { ...base, launcher: { kind: 'connected', domain: { kind: 'absent' } } };
      if (isConnectionLost(err)) return gone((err as Error).message);
      throw err;
    }
  }

  /**
   * Reads the exit record of a launcher that is gone: the domain's stop reason (what the missed
   * lifecycle event would have said) and the launcher's own account. True when there is one.
   */
  private async learnExit(key: string, rt: VmiRuntime): Promise<boolean> {
    if (rt.exit !== undefined) return true;
    const record = await this.runDirs.exitRecord(rt.uid).catch((err: unknown) => {
      this.o.logger.warn({ key, uid: rt.uid, ...errFields(err) }, 'unreadable launcher exit record');
      return undefined;
    });
    if (!record) return false;
    rt.exit = record;
    const stop = record.domainStopReason;
    if (stop !== undefined) rt.ended ??= stop === 'crashed' ? { event: 'crashed', detail: stop } : { event: 'stopped', detail: stop };
    rt.lost ??= `${record.reason} (exit code ${record.code})`;
    return true;
  }

  private hooks(key: string, vmi: VirtualMachineInstance, rt: VmiRuntime) {
    const domain = domainNameOf(vmi);
    return {
      onLifecycle: (e: LifecycleEvent) => {
        if (e.domainName !== domain) return;
        if (e.event === 'stopped' || e.event === 'crashed') rt.ended = { event: e.event, detail: e.detail };
        this.o.enqueue(key);
      },
      onLost: (cause: string) => {
        rt.lost ??= cause;
        this.o.enqueue(key);
      },
    };
  }

  /** Does the action; true when something was done (the domain is observed again). */
  private async act(vmi: VirtualMachineInstance, rt: VmiRuntime, action: DomainAction): Promise<boolean> {
    const s = rt.session;
    const name = domainNameOf(vmi);
    const log = { vmi: vmi.metadata.name, namespace: vmi.metadata.namespace };
    if (!s || (action.kind !== 'start' && action.kind !== 'acpiShutdown' && action.kind !== 'destroy')) return false;
    try {
      if (action.kind === 'start') {
        await this.start(vmi, rt, s);
      } else if (action.kind === 'acpiShutdown') {
        const now = this.now();
        const first = rt.shutdown === undefined;
        rt.shutdown = acpiSent(rt.shutdown, now);
        this.o.logger.info({ ...log, first }, 'ACPI shutdown of the domain');
        if (first) void this.o.events?.event(vmi, 'Normal', 'ShuttingDown', 'Signaled Graceful Shutdown');
        await s.domains.shutdown(name).catch((err: unknown) => tolerateGone(err));
      } else {
        this.o.logger.warn(log, 'grace period over: destroying the domain');
        void this.o.events?.event(vmi, 'Warning', 'Destroyed', 'Grace period expired: the domain was destroyed');
        await s.domains.destroy(name).catch((err: unknown) => tolerateGone(err));
      }
    } catch (err) {
      if (!isConnectionLost(err)) throw err;
      rt.lost ??= (err as Error).message;
    }
    return true;
  }

  private async start(vmi: VirtualMachineInstance, rt: VmiRuntime, s: LauncherSession): Promise<void> {
    const name = domainNameOf(vmi);
    const fail = (f: Failure, err: unknown): void => {
      rt.failure = f;
      this.o.logger.warn({ vmi: vmi.metadata.name, namespace: vmi.metadata.namespace, reason: f.reason, ...errFields(err) }, 'starting the VMI failed');
      void this.o.events?.event(vmi, 'Warning', 'SyncFailed', f.message);
    };
    const resources = requestedResources(vmi);
    let allocation: Map<string, string[]>;
    try {
      const allocations = resources.length > 0 ? await s.getAllocation(resources) : [];
      allocation = new Map(allocations.map((a) => [a.resourceName, a.pciAddresses]));
    } catch (err) {
      if (err instanceof LauncherRpcError && err.code === 'FAILED_PRECONDITION') return fail({ reason: 'AllocationFailed', message: err.message }, err);
      throw err;
    }
    let xml: string;
    try {
      rt.devices = allocatedDevices(assignDevices(vmi, allocation));
      xml = renderDomain(vmi, allocation, { kvm: this.o.kvm, consoleLogPath: s.consoleLog });
    } catch (err) {
      if (err instanceof AllocationError) return fail({ reason: 'AllocationFailed', message: err.message }, err);
      if (err instanceof DomainRenderError) return fail({ reason: 'DomainRenderFailed', message: err.message }, err);
      throw err;
    }
    try {
      await s.domains.define(xml);
      await s.domains.start(name);
    } catch (err) {
      if (isOperationInvalid(err)) return; // already running (a race): the next observation tells
      if (isConnectionLost(err)) throw err; // handled by act()
      if (err instanceof LibvirtError) return fail({ reason: 'StartFailed', message: err.libvirtMessage }, err);
      throw err;
    }
    this.o.logger.info({ vmi: vmi.metadata.name, namespace: vmi.metadata.namespace, domain: name, devices: rt.devices }, 'domain started');
    void this.o.events?.event(vmi, 'Normal', 'Started', `VirtualMachineInstance ${vmiRef(vmi)} started`);
  }
}

/** The domain went away or is already off meanwhile: the next observation tells. */
function tolerateGone(err: unknown): void {
  if (isNotFound(err) || isOperationInvalid(err)) return;
  throw err;
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return i < 0 ? ['', key] : [key.slice(0, i), key.slice(i + 1)];
}
