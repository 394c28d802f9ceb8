// The handler's cache of what it learnt about each VMI it runs: the launcher session, what
// lifecycle events and the exit record said, and its own start and shutdown bookkeeping. Lost on
// a handler restart, and rebuilt by observing again. observe() is the "observe" step of the VMI
// reconciler: live calls to the launcher and its libvirtd, plus this memory.
import { launcherSocketPath, type VirtualMachineInstance } from '@qvirt/api';
import type { AcpiRequests } from '@qvirt/domain';
import { errFields, type Logger } from '@qvirt/log';
import { isConnectionLost, isLibvirtNotFound, type LifecycleEvent } from '@qvirt/libvirt';
import type { LauncherExitRecord } from '@qvirt/launcher-rpc';
import { exitFacts } from './launcher-exit.js';
import type { LauncherConnector, LauncherSession } from './launcher-session.js';
import { domainNameOf, type Failure, type VmiObservation } from './vmi-observation.js';

/** What events and earlier reconciles taught us about one VMI. */
export interface VmiRuntime {
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

export interface LauncherSessionsOptions {
  runDir: string;
  connector: LauncherConnector;
  /** How the uid's launcher ended, if it has. */
  exitRecord(uid: string): Promise<LauncherExitRecord | undefined>;
  /** Called when an event or a lost connection needs the key looked at again. */
  enqueue: (key: string) => void;
  logger: Logger;
}

export class LauncherSessions {
  private readonly runtimes = new Map<string, VmiRuntime>();

  constructor(private readonly o: LauncherSessionsOptions) {}

  /** Keys with a live launcher session (tests, metrics). */
  keys(): string[] {
    return [...this.runtimes.entries()].filter(([, r]) => r.session).map(([k]) => k);
  }

  /** The uid of the VMI object followed under this key, if any. */
  uidOf(key: string): string | undefined {
    return this.runtimes.get(key)?.uid;
  }

  /** The runtime of this VMI object; a new object under the same name starts afresh. */
  runtime(key: string, vmi: VirtualMachineInstance): VmiRuntime {
    const uid = vmi.metadata.uid ?? '';
    let rt = this.runtimes.get(key);
    if (rt && rt.uid !== uid) {
      // Same name, new object: nothing of the old one applies.
      void rt.session?.close().catch(() => undefined);
      rt = undefined;
    }
    if (!rt) {
      rt = { uid, failures: 0 };
      this.runtimes.set(key, rt);
    }
    return rt;
  }

  /** Forgets the key and closes its session; the domain is not touched. */
  async release(key: string): Promise<void> {
    const rt = this.runtimes.get(key);
    this.runtimes.delete(key);
    if (rt?.session) {
      const s = rt.session;
      rt.session = undefined;
      await s.close().catch((err: unknown) => this.o.logger.warn({ key, ...errFields(err) }, 'closing launcher session failed'));
    }
  }

  /** Closes every launcher session (handler shutdown); domains keep running. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.runtimes.keys()].map((k) => this.release(k)));
  }

  /** The launcher and the domain now, with what earlier events taught. Connects when needed. */
  async observe(key: string, vmi: VirtualMachineInstance, rt: VmiRuntime): Promise<VmiObservation> {
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
      const unreachable = (cause: string, socketExists: boolean): VmiObservation => ({
        ...base,
        launcher: { kind: 'unreachable', cause, socketExists, failures: ++rt.failures },
      });
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
      if (isLibvirtNotFound(err)) return { ...base, launcher: { kind: 'connected', domain: { kind: 'absent' } } };
      if (isConnectionLost(err)) return gone((err as Error).message);
      throw err;
    }
  }

  /** Folds the exit record of a launcher that is gone into the runtime; true when there is one. */
  private async learnExit(key: string, rt: VmiRuntime): Promise<boolean> {
    if (rt.exit !== undefined) return true;
    const record = await this.o.exitRecord(rt.uid).catch((err: unknown) => {
      this.o.logger.warn({ key, uid: rt.uid, ...errFields(err) }, 'unreadable launcher exit record');
      return undefined;
    });
    if (!record) return false;
    rt.exit = record;
    const facts = exitFacts(record);
    rt.ended ??= facts.ended;
    rt.lost ??= facts.lost;
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
}
