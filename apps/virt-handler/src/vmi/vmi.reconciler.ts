// The VMI sync, level-based: observe (the launcher and its domain, through LauncherSessions),
// plan (domain-action.ts, vmi-status.ts: pure), act, write the status. Every reconcile re-reads
// the live domain state; events only make it sooner.
import { isFinalPhase, requestedResources, type VirtualMachineInstance } from '@qvirt/api';
import { AllocationError, DomainRenderError, acpiSent, assignDevices, renderDomain } from '@qvirt/domain';
import { objectKey, type ObjectRef } from '@qvirt/kube';
import { errFields, type Logger } from '@qvirt/log';
import { OwnStatusWrites, type ReconcileResult } from '@qvirt/kube/controller';
import { LauncherRpcError, type LauncherExitRecord } from '@qvirt/launcher-rpc';
import { LibvirtError, isConnectionLost, isLibvirtNotFound, isOperationInvalid } from '@qvirt/libvirt';
import { DEFAULT_DOMAIN_ACTION_OPTIONS, planDomainAction, type DomainAction, type DomainActionOptions } from './domain-action.js';
import type { LauncherConnector, LauncherSession } from './launcher-session.js';
import { LauncherSessions, type VmiRuntime } from './launcher-sessions.js';
import { allocatedDevices, desiredStatusPatch, observedPhase } from './vmi-status.js';
import { domainNameOf, isHandledPhase, vmiRef, type Failure } from './vmi-observation.js';

export interface EventSink {
  event(obj: VirtualMachineInstance, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
}

/** Writes `/status` as a merge patch built from the current object (conflict retry inside); returns the written object, if any. */
export type StatusWriter = (
  vmi: VirtualMachineInstance,
  build: (current: VirtualMachineInstance) => Record<string, unknown> | undefined,
) => Promise<VirtualMachineInstance | undefined | void>;

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
  /** How the uid's launcher ended, if it has (run-dirs.ts reads `<run-dir>/<uid>/`). */
  exitRecord(uid: string): Promise<LauncherExitRecord | undefined>;
  /** A VMI object this handler followed is gone (deleted, or replaced under its name): its run dir may go. */
  onGone?: (uid: string) => void;
}

export class VmiReconciler {
  readonly sessions: LauncherSessions;
  private readonly ownWrites = new OwnStatusWrites<VirtualMachineInstance>();
  private readonly now: () => number;
  private readonly actionOptions: DomainActionOptions;

  constructor(private readonly o: VmiReconcilerOptions) {
    this.now = o.now ?? Date.now;
    this.actionOptions = o.actionOptions ?? DEFAULT_DOMAIN_ACTION_OPTIONS;
    this.sessions = new LauncherSessions({ runDir: o.runDir, connector: o.connector, exitRecord: o.exitRecord, enqueue: o.enqueue, logger: o.logger });
  }

  /** One look at the VMI `ref`; once `signal` aborts (the handler stopping) it starts no domain action. */
  async reconcile(ref: ObjectRef, signal?: AbortSignal): Promise<ReconcileResult | void> {
    const { namespace, name } = ref;
    const key = objectKey(namespace, name);
    const vmi = this.o.vmis.get(namespace, name);
    const known = this.sessions.uidOf(key);
    if (known !== undefined && known !== vmi?.metadata.uid) this.o.onGone?.(known);
    if (!vmi || vmi.status?.nodeName !== this.o.nodeName || isFinalPhase(vmi.status?.phase)) {
      await this.sessions.release(key);
      if (!vmi) this.ownWrites.forget(key);
      return;
    }
    if (!isHandledPhase(vmi.status?.phase)) return;
    const rt = this.sessions.runtime(key, vmi);
    let obs = await this.sessions.observe(key, vmi, rt);
    const action = planDomainAction(vmi, obs, this.now(), this.actionOptions);
    if (signal?.aborted) return;
    if (await this.act(vmi, rt, action)) obs = await this.sessions.observe(key, vmi, rt);
    // Lifecycle events right after our own write would otherwise patch the stale cached object (409 + GET + no-op).
    const written = await this.o.writeStatus(this.ownWrites.freshest(key, vmi), (current) => desiredStatusPatch(current, obs, new Date(this.now())));
    this.ownWrites.record(key, vmi, written ?? undefined);
    if (isFinalPhase(observedPhase(vmi, obs).phase)) return this.sessions.release(key);
    const next = planDomainAction(vmi, obs, this.now(), this.actionOptions);
    if (next.kind === 'wait') return { requeueAfterMs: next.afterMs };
    if (next.kind !== 'none') return { requeueAfterMs: 100 };
    return { requeueAfterMs: this.o.resyncMs ?? 30_000 };
  }

  /** Closes every launcher session (handler shutdown); domains keep running. */
  closeAll(): Promise<void> {
    return this.sessions.closeAll();
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
  if (isLibvirtNotFound(err) || isOperationInvalid(err)) return;
  throw err;
}
