import { mkdir, rm } from 'node:fs/promises';
import { isConnectionLost, isNotFound, isOperationInvalid } from '@qvirt/libvirt';
import { serveLauncher, writeExitRecord, type LauncherServer, type PingInfo } from '@qvirt/launcher-rpc';
import { allocationAnswer } from './allocation.handler.js';
import { domainNameOf, type SupervisorConfig } from './config.js';
import { initialTrackerState, observe, type DomainObservation, type TrackerState } from './domain-tracker.js';
import { ExitCodes, type ExitDecision } from './exit-policy.js';
import { launcherPaths, type LauncherPaths } from './paths.js';
import type { PrivateDaemon, SupervisedConnection, SupervisedDomain, SupervisorLogger } from './ports.js';
import { footprintOf, reapDaemonLeftovers, type DaemonFootprint } from './reaper.js';

export interface SupervisorOptions {
  config: SupervisorConfig;
  /** The pod's environment: the allocation (PCI_RESOURCE_*, QAT<n>) is read from it. */
  env: Readonly<Record<string, string | undefined>>;
  logger: SupervisorLogger;
  launcherVersion: string;
  qemuVersion(): Promise<string>;
  startDaemon(paths: LauncherPaths): Promise<PrivateDaemon>;
  openConnection(uri: string): Promise<SupervisedConnection>;
  /** Level-based re-check of the domain; events only make it sooner. Default 1000 ms. */
  pollIntervalMs?: number;
}

const ACTIVE = new Set(['running', 'blocked', 'paused', 'shutdown', 'pmsuspended', 'crashed']);

/**
 * The launcher of one VMI inside its pod: owns a private libvirtd, answers the handler over
 * launcher-rpc, follows the domain the handler defines and ends when it ends (exit-policy.ts).
 * run() always tears everything down before it resolves.
 */
export class Supervisor {
  private readonly paths: LauncherPaths;
  private readonly domainName: string | undefined;
  private tracker: TrackerState = initialTrackerState;
  private seenDomain: string | undefined;
  private stopSignal: string | undefined;
  private hurry = false;
  private lost: string | undefined;
  private ready = false;
  private daemon: PrivateDaemon | undefined;
  private footprint: DaemonFootprint | undefined;
  private conn: SupervisedConnection | undefined;
  private rpc: LauncherServer | undefined;
  private versions = { libvirt: '', qemu: '' };
  private wakeUp: () => void = () => undefined;

  constructor(private readonly o: SupervisorOptions) {
    this.paths = launcherPaths(o.config.runDir, o.config.vmiUid);
    this.domainName = domainNameOf(o.config);
  }

  /** SIGTERM/SIGINT: ACPI shutdown, grace period, destroy. A second signal destroys at once. */
  stop(signal: string): void {
    if (this.stopSignal) this.hurry = true;
    this.stopSignal ??= signal;
    this.o.logger.info({ signal, hurry: this.hurry }, 'stop requested');
    this.wakeUp();
  }

  async run(): Promise<ExitDecision> {
    let decision: ExitDecision;
    try {
      await this.start();
      decision = await this.supervise();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.o.logger.error({ err: message, stack: err instanceof Error ? err.stack : undefined }, 'launcher failed');
      decision = { code: ExitCodes.launcherFailed, reason: message };
    }
    this.ready = false;
    // Before teardown: once the sockets close, a handler (perhaps just restarted) looks for it.
    await this.recordExit(decision);
    await this.teardown();
    return decision;
  }

  private async recordExit(decision: ExitDecision): Promise<void> {
    const stop = this.tracker.ended?.stopReason;
    const record = { code: decision.code, reason: decision.reason, time: new Date().toISOString(), ...(stop !== undefined ? { domainStopReason: stop } : {}) };
    await writeExitRecord(this.paths.exitRecord, record).catch((err: unknown) =>
      this.o.logger.warn({ err: String(err), path: this.paths.exitRecord }, 'could not record how the launcher ended'),
    );
  }

  private async start(): Promise<void> {
    const { paths, o } = this;
    // Root only: the handler and the launcher (and QEMU, as root) are the only users.
    await mkdir(paths.vmiDir, { recursive: true, mode: 0o700 });
    await mkdir(paths.privateDir, { recursive: true, mode: 0o700 });
    // A record left by an earlier launcher of this uid would tell the handler this one has ended.
    await rm(paths.exitRecord, { force: true });
    this.daemon = await o.startDaemon(paths);
    this.footprint = await footprintOf(this.daemon);
    void this.daemon.exited.then(() => {
      this.lost ??= 'the private libvirtd exited';
      this.wakeUp();
    });
    o.logger.info({ socket: this.daemon.socketPath, pids: this.daemon.pids }, 'private libvirtd started');
    const conn = await o.openConnection(this.daemon.uri);
    this.conn = conn;
    conn.onClose((reason) => {
      this.lost = reason;
      this.wakeUp();
    });
    await conn.onLifecycle((e) => {
      if (this.domainName !== undefined && e.domainName !== this.domainName) return;
      this.seenDomain ??= e.domainName;
      o.logger.info({ domain: e.domainName, event: e.event, detail: e.detail }, 'domain lifecycle event');
      this.track({ kind: 'event', event: e.event, detail: e.detail });
    });
    this.versions = { libvirt: await conn.libVersion(), qemu: await o.qemuVersion().catch(() => '') };
    this.rpc = await serveLauncher({
      socketPath: paths.launcherSocket,
      logger: o.logger,
      handlers: {
        ping: () => this.pingInfo(),
        getAllocation: (names) => {
          const answer = allocationAnswer(o.env, names);
          o.logger.info({ allocations: answer }, 'allocation handed out');
          return answer;
        },
      },
    });
    this.ready = true;
    o.logger.info({ launcherSocket: paths.launcherSocket, consoleLog: paths.consoleLog, ...this.versions }, 'launcher ready');
  }

  private pingInfo(): PingInfo {
    return {
      ready: this.ready && this.lost === undefined,
      libvirtSocket: this.daemon?.socketPath ?? this.paths.libvirtSocket,
      vmiUid: this.o.config.vmiUid,
      launcherVersion: this.o.launcherVersion,
      libvirtVersion: this.versions.libvirt,
      qemuVersion: this.versions.qemu,
      consoleLog: this.paths.consoleLog,
    };
  }

  private async supervise(): Promise<ExitDecision> {
    const { config, logger } = this.o;
    const waitDeadline = Date.now() + config.domainWaitTimeoutSeconds * 1000;
    let acpiDeadline: number | undefined;
    for (;;) {
      if (this.tracker.ended) return this.tracker.ended;
      if (this.lost !== undefined) {
        return { code: ExitCodes.launcherFailed, reason: `connection to the launcher's libvirtd lost (${this.lost})` };
      }
      const dom = await this.findDomain();
      try {
        const st = dom ? await this.stateOf(dom) : undefined;
        if (this.tracker.ended) continue;
        const now = Date.now();
        if (this.stopSignal) {
          if (!dom || !st || !ACTIVE.has(st.state)) {
            return { code: ExitCodes.clean, reason: dom ? `${this.stopSignal}: the domain was not running` : `${this.stopSignal}: no domain was defined` };
          }
          if (acpiDeadline === undefined) {
            acpiDeadline = now + config.gracePeriodSeconds * 1000;
            logger.info({ domain: dom.name, gracePeriodSeconds: config.gracePeriodSeconds }, 'ACPI shutdown of the domain');
            await dom.shutdown().catch((err: unknown) => this.tolerate(err, 'virDomainShutdown'));
          }
          if (this.hurry || Date.now() >= acpiDeadline) {
            logger.warn({ domain: dom.name, hurry: this.hurry }, 'grace period over: destroying the domain');
            await dom.destroy().catch((err: unknown) => this.tolerate(err, 'virDomainDestroy'));
            continue;
          }
        } else if (!this.tracker.defined && now >= waitDeadline) {
          const what = this.domainName ? `domain ${this.domainName}` : 'domain';
          return {
            code: ExitCodes.noDomain,
            reason: `no ${what} was defined on ${this.paths.libvirtSocket} within ${config.domainWaitTimeoutSeconds}s (--domain-wait-timeout-seconds)`,
          };
        }
      } finally {
        await dom?.free().catch(() => undefined);
      }
      const next = Math.min(
        this.o.pollIntervalMs ?? 1000,
        Math.max(0, (acpiDeadline ?? Infinity) - Date.now()),
        this.tracker.defined || this.stopSignal ? Infinity : Math.max(0, waitDeadline - Date.now()),
      );
      await this.sleep(next);
    }
  }

  private track(o: DomainObservation): void {
    const before = this.tracker;
    this.tracker = observe(this.tracker, o, this.stopSignal !== undefined);
    if (!before.ended && this.tracker.ended) {
      this.o.logger.info({ domain: this.seenDomain, ...this.tracker.ended }, 'domain ended');
    }
    this.wakeUp();
  }

  private async findDomain(): Promise<SupervisedDomain | undefined> {
    const conn = this.conn;
    if (!conn) return undefined;
    try {
      if (this.domainName !== undefined) return await conn.lookupByName(this.domainName);
      const all = await conn.listDomains();
      const [first, ...rest] = all;
      for (const d of rest) await d.free();
      if (first) this.seenDomain ??= first.name;
      return first;
    } catch (err) {
      if (isNotFound(err)) {
        this.track({ kind: 'absent' });
        return undefined;
      }
      this.tolerate(err, 'domain lookup');
      return undefined;
    }
  }

  private async stateOf(dom: SupervisedDomain): Promise<{ state: string; reason: string } | undefined> {
    try {
      const st = await dom.state();
      this.seenDomain ??= dom.name;
      this.track({ kind: 'state', state: st.state, reason: st.reason });
      return st;
    } catch (err) {
      if (!isNotFound(err)) this.tolerate(err, 'virDomainGetState');
      return undefined;
    }
  }

  /** Expected races (domain went away, already off) are fine; a dead daemon ends the loop. */
  private tolerate(err: unknown, what: string): void {
    if (isNotFound(err) || isOperationInvalid(err)) return;
    const message = err instanceof Error ? err.message : String(err);
    if (isConnectionLost(err)) this.lost ??= message;
    this.o.logger.warn({ err: message, what }, 'libvirt call failed');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(() => finish(), ms);
      const finish = () => {
        clearTimeout(timer);
        this.wakeUp = () => undefined;
        done();
      };
      this.wakeUp = finish;
    });
  }

  /** Leaves no domain, QEMU, libvirtd, virtlogd or socket behind, whatever state we are in. */
  private async teardown(): Promise<void> {
    const { logger } = this.o;
    await this.rpc?.close().catch((err: unknown) => logger.warn({ err: String(err) }, 'closing launcher socket failed'));
    const conn = this.conn;
    if (conn && this.lost === undefined) {
      const dom = await this.findDomain();
      if (dom) {
        const st = await dom.state().catch(() => undefined);
        if (st && ACTIVE.has(st.state)) await dom.destroy().catch((err: unknown) => this.tolerate(err, 'virDomainDestroy'));
        await dom.undefine().catch((err: unknown) => this.tolerate(err, 'virDomainUndefine'));
        await dom.free().catch(() => undefined);
      }
    }
    await conn?.close().catch((err: unknown) => logger.warn({ err: String(err) }, 'closing libvirt connection failed'));
    if (this.daemon) {
      await this.daemon.stop().catch((err: unknown) => logger.warn({ err: String(err) }, 'stopping libvirtd failed'));
      if (this.footprint) await reapDaemonLeftovers(this.footprint, logger);
    }
    for (const f of ['libvirt-sock', 'libvirt-sock-ro', 'libvirt-admin-sock']) {
      await rm(`${this.paths.vmiDir}/${f}`, { force: true });
    }
    await rm(this.paths.privateDir, { recursive: true, force: true });
    logger.info({}, 'launcher torn down');
  }
}
