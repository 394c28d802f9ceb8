import { mkdir, rm } from 'node:fs/promises';
import { acpiSent, DEFAULT_ACPI_RESEND_MS, planShutdown, type AcpiRequests } from '@qvirt/domain';
import { isConnectionLost, isLibvirtNotFound, isOperationInvalid, type DomainManager } from '@qvirt/libvirt';
import { serveLauncher, writeExitRecord, type LauncherServer, type PingInfo } from '@qvirt/launcher-rpc';
import { allocationAnswer } from './allocation.handler.js';
import { domainNameOf, type SupervisorConfig } from '../config.js';
import { initialTrackerState, observe, type DomainObservation, type TrackerState } from './domain-tracker.js';
import { ExitCodes, type ExitDecision } from './exit-policy.js';
import { launcherPaths, type LauncherPaths } from './paths.js';
import { errFields, type Logger } from '@qvirt/log';
import { systemClock, type Clock, type LauncherConnection, type PrivateDaemon } from './ports.js';
import { footprintOf, reapDaemonLeftovers, type DaemonFootprint } from './reaper.js';

export interface SupervisorOptions {
  config: SupervisorConfig;
  /** The pod's environment: the allocation (PCI_RESOURCE_*, QAT<n>) is read from it. */
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  launcherVersion: string;
  qemuVersion(): Promise<string>;
  startDaemon(paths: LauncherPaths): Promise<PrivateDaemon>;
  openConnection(uri: string): Promise<LauncherConnection>;
  /** Files the domain needs that live in the pod (containerDisk overlays), made before the launcher is ready. */
  prepareDisks?(): Promise<unknown>;
  /** Level-based re-check of the domain; events only make it sooner. Default 1000 ms. */
  pollIntervalMs?: number;
  /** ACPI presses can be lost early in boot: re-sent this often during the grace period. */
  acpiResendMs?: number;
  clock?: Clock;
}

/** The domain as one look at the launcher's libvirtd saw it. */
interface SeenDomain {
  name: string;
  state: string;
  reason: string;
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
  private conn: LauncherConnection | undefined;
  private readonly clock: Clock;
  private rpc: LauncherServer | undefined;
  private versions = { libvirt: '', qemu: '' };
  private wakeUp: () => void = () => undefined;

  constructor(private readonly o: SupervisorOptions) {
    this.paths = launcherPaths(o.config.runDir, o.config.vmiUid);
    this.domainName = domainNameOf(o.config);
    this.clock = o.clock ?? systemClock;
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
      this.o.logger.error({ ...errFields(err) }, 'launcher failed');
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
    const record = {
      code: decision.code,
      reason: decision.reason,
      time: new Date(this.clock.now()).toISOString(),
      ...(stop !== undefined ? { domainStopReason: stop } : {}),
    };
    await writeExitRecord(this.paths.exitRecord, record).catch((err: unknown) =>
      this.o.logger.warn({ ...errFields(err), path: this.paths.exitRecord }, 'could not record how the launcher ended'),
    );
  }

  private async start(): Promise<void> {
    const { paths, o } = this;
    // Root only: the handler and the launcher (and QEMU, as root) are the only users.
    await mkdir(paths.vmiDir, { recursive: true, mode: 0o700 });
    await mkdir(paths.privateDir, { recursive: true, mode: 0o700 });
    // A record left by an earlier launcher of this uid would tell the handler this one has ended.
    await rm(paths.exitRecord, { force: true });
    await o.prepareDisks?.();
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
    await conn.domains.onLifecycle((e) => {
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
    const { clock } = this;
    const waitDeadline = clock.now() + config.domainWaitTimeoutSeconds * 1000;
    const grace = { graceMs: config.gracePeriodSeconds * 1000, acpiResendMs: this.o.acpiResendMs ?? DEFAULT_ACPI_RESEND_MS };
    let acpi: AcpiRequests | undefined;
    for (;;) {
      if (this.tracker.ended) return this.tracker.ended;
      if (this.lost !== undefined) {
        return { code: ExitCodes.launcherFailed, reason: `connection to the launcher's libvirtd lost (${this.lost})` };
      }
      const dom = await this.observeDomain();
      if (this.tracker.ended) continue;
      let waitMs = this.o.pollIntervalMs ?? 1000;
      if (this.stopSignal) {
        if (!dom || !ACTIVE.has(dom.state)) {
          return { code: ExitCodes.clean, reason: dom ? `${this.stopSignal}: the domain was not running` : `${this.stopSignal}: no domain was defined` };
        }
        const step = planShutdown({ ...(acpi ? { acpi } : {}), hurry: this.hurry }, clock.now(), grace);
        if (step.kind === 'acpiShutdown') {
          logger.info({ domain: dom.name, gracePeriodSeconds: config.gracePeriodSeconds, resend: acpi !== undefined }, 'ACPI shutdown of the domain');
          await this.domains()
            .shutdown(dom.name)
            .catch((err: unknown) => this.tolerate(err, 'virDomainShutdown'));
          acpi = acpiSent(acpi, clock.now());
          continue;
        }
        if (step.kind === 'destroy') {
          logger.warn({ domain: dom.name, hurry: this.hurry }, 'grace period over: destroying the domain');
          await this.domains()
            .destroy(dom.name)
            .catch((err: unknown) => this.tolerate(err, 'virDomainDestroy'));
          continue;
        }
        waitMs = Math.min(waitMs, step.afterMs);
      } else if (!this.tracker.defined) {
        const left = waitDeadline - clock.now();
        if (left <= 0) {
          const what = this.domainName ? `domain ${this.domainName}` : 'domain';
          return {
            code: ExitCodes.noDomain,
            reason: `no ${what} was defined on ${this.paths.libvirtSocket} within ${config.domainWaitTimeoutSeconds}s (--domain-wait-timeout-seconds)`,
          };
        }
        waitMs = Math.min(waitMs, left);
      }
      await this.sleep(waitMs);
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

  private domains(): DomainManager {
    if (!this.conn) throw new Error('the launcher has no libvirt connection yet');
    return this.conn.domains;
  }

  /** Its own domain by name (or, unnamed, the first one defined), folded into the tracker. */
  private async observeDomain(): Promise<SeenDomain | undefined> {
    if (!this.conn) return undefined;
    const domains = this.conn.domains;
    try {
      let seen: SeenDomain | undefined;
      if (this.domainName !== undefined) {
        seen = { name: this.domainName, ...(await domains.state(this.domainName)) };
      } else {
        const [first] = await domains.list();
        seen = first && { name: first.name, state: first.state, reason: first.reason };
      }
      if (!seen) {
        this.track({ kind: 'absent' });
        return undefined;
      }
      this.seenDomain ??= seen.name;
      this.track({ kind: 'state', state: seen.state, reason: seen.reason });
      return seen;
    } catch (err) {
      if (isLibvirtNotFound(err)) this.track({ kind: 'absent' });
      else this.tolerate(err, 'domain lookup');
      return undefined;
    }
  }

  /** Expected races (domain went away, already off) are fine; a dead daemon ends the loop. */
  private tolerate(err: unknown, what: string): void {
    if (isLibvirtNotFound(err) || isOperationInvalid(err)) return;
    const message = err instanceof Error ? err.message : String(err);
    if (isConnectionLost(err)) this.lost ??= message;
    this.o.logger.warn({ ...errFields(err), what }, 'libvirt call failed');
  }

  /** Until `ms` have passed on the clock, or something happened (wakeUp). */
  private sleep(ms: number): Promise<void> {
    return new Promise((done) => {
      const finish = () => {
        cancel();
        this.wakeUp = () => undefined;
        done();
      };
      const cancel = this.clock.setTimer(finish, ms);
      this.wakeUp = finish;
    });
  }

  /** Leaves no domain, QEMU, libvirtd, virtlogd or socket behind, whatever state we are in. */
  private async teardown(): Promise<void> {
    const { logger } = this.o;
    await this.rpc?.close().catch((err: unknown) => logger.warn({ ...errFields(err) }, 'closing launcher socket failed'));
    const conn = this.conn;
    if (conn && this.lost === undefined) {
      const dom = await this.observeDomain();
      if (dom) {
        if (ACTIVE.has(dom.state)) await conn.domains.destroy(dom.name).catch((err: unknown) => this.tolerate(err, 'virDomainDestroy'));
        await conn.domains.undefine(dom.name).catch((err: unknown) => this.tolerate(err, 'virDomainUndefine'));
      }
    }
    await conn?.close().catch((err: unknown) => logger.warn({ ...errFields(err) }, 'closing libvirt connection failed'));
    if (this.daemon) {
      await this.daemon.stop().catch((err: unknown) => logger.warn({ ...errFields(err) }, 'stopping libvirtd failed'));
      if (this.footprint) await reapDaemonLeftovers(this.footprint, logger);
    }
    for (const f of ['libvirt-sock', 'libvirt-sock-ro', 'libvirt-admin-sock']) {
      await rm(`${this.paths.vmiDir}/${f}`, { force: true });
    }
    await rm(this.paths.privateDir, { recursive: true, force: true });
    logger.info({}, 'launcher torn down');
  }
}
