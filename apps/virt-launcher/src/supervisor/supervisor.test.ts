import { mkdir } from 'node:fs/promises';
import type { DomainManager } from '@qvirt/libvirt';
import { InMemoryDomainManager } from '@qvirt/libvirt/testing';
import { LauncherClient, readExitRecord, writeExitRecord } from '@qvirt/launcher-rpc';
import { silentLogger } from '@qvirt/log';
import { eventually } from '@qvirt/testing';
import { useTempDir } from '@qvirt/testing/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseSupervisorArgs } from '../config.js';
import type { Clock, LauncherConnection, PrivateDaemon } from './ports.js';
import { Supervisor } from './supervisor.js';
import type { ExitDecision } from './exit-policy.js';

// The supervisor's decisions against @qvirt/libvirt's InMemoryDomainManager (libvirt's error
// codes and event order, a guest that may ignore ACPI) and a clock these tests move by hand:
// no wall-clock waits. The real libvirtd is covered by test/launcher.int.test.ts.

/** Timers fire only when a test moves the clock. */
class ManualClock implements Clock {
  private t = 0;
  private timers = new Set<{ at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimer(fn: () => void, ms: number): () => void {
    const timer = { at: this.t + ms, fn };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }
  advance(ms: number): void {
    this.t += ms;
    for (const timer of [...this.timers].filter((x) => x.at <= this.t)) {
      this.timers.delete(timer);
      timer.fn();
    }
  }
}

/** `d`, recording the domain calls the supervisor makes (shutdown, destroy, undefine) in order. */
function recorded(d: DomainManager, calls: string[]): DomainManager {
  const record = (op: 'shutdown' | 'destroy' | 'undefine') => (name: string) => {
    calls.push(`${op} ${name}`);
    return d[op](name);
  };
  return {
    define: (xml) => d.define(xml),
    start: (n) => d.start(n),
    shutdown: record('shutdown'),
    destroy: record('destroy'),
    undefine: record('undefine'),
    state: (n) => d.state(n),
    xml: (n) => d.xml(n),
    list: () => d.list(),
    onLifecycle: (l) => d.onLifecycle(l),
  };
}

const named = ['--namespace', 'default', '--name', 'vm1'];
const runDir = useTempDir('supervisor-');

let libvirt: InMemoryDomainManager;
let clock: ManualClock;
let calls: string[];
let closeListeners: Set<(reason: string) => void>;
let daemonStopped: boolean;
let daemonStarted: boolean;

beforeEach(() => {
  libvirt = new InMemoryDomainManager();
  clock = new ManualClock();
  calls = [];
  closeListeners = new Set();
  daemonStopped = false;
  daemonStarted = false;
});

/** A running guest, defined and started as the handler would. */
async function runningGuest(name: string, opts: { acpi: boolean } = { acpi: true }): Promise<void> {
  libvirt.guestObeysAcpi = opts.acpi;
  await libvirt.define(`<domain type='qemu'><name>${name}</name></domain>`);
  await libvirt.start(name);
}

function supervisor(extra: string[] = [], prepareDisks?: () => Promise<unknown>): Supervisor {
  const config = parseSupervisorArgs(['--vmi-uid', 'u1', '--run-dir', runDir(), ...extra]);
  const daemon: PrivateDaemon = {
    socketPath: `${runDir()}/u1/libvirt-sock`,
    uri: 'test:///in-memory',
    libvirtdPid: process.pid,
    pids: [],
    exited: new Promise(() => undefined),
    stop: async () => {
      daemonStopped = true;
    },
  };
  const connection: LauncherConnection = {
    domains: recorded(libvirt, calls),
    libVersion: async () => '9.0.0',
    onClose: (l) => {
      closeListeners.add(l);
      return () => closeListeners.delete(l);
    },
    close: async () => {
      calls.push('close');
    },
  };
  return new Supervisor({
    config,
    env: {},
    logger: silentLogger,
    launcherVersion: '0.1.0',
    qemuVersion: async () => '7.2.0',
    startDaemon: async () => {
      daemonStarted = true;
      return daemon;
    },
    openConnection: async () => connection,
    ...(prepareDisks ? { prepareDisks } : {}),
    clock,
  });
}

/** run(), and a probe for whether it has finished. */
function started(s: Supervisor): { done: Promise<ExitDecision>; finished: () => boolean } {
  let finished = false;
  const done = s.run().finally(() => (finished = true));
  return { done, finished: () => finished };
}

/** The supervisor serves Ping once its libvirtd connection is up. */
async function ready(): Promise<void> {
  const client = LauncherClient.connect(`${runDir()}/sockets/u1.sock`);
  try {
    await eventually('the launcher answers Ping', () => client.ping({ deadlineMs: 200 }).then((p) => p.ready), { timeoutMs: 10_000, intervalMs: 20 });
  } finally {
    client.close();
  }
}

const waitFor = (what: string, probe: () => boolean) => eventually(what, probe, { timeoutMs: 5000, intervalMs: 5 });

describe('Supervisor', () => {
  it('serves Ping with the console log and exits 0 when the guest shuts down by itself, recording how it ended', async () => {
    const exitPath = `${runDir()}/u1/launcher-exit.json`;
    await mkdir(`${runDir()}/u1`);
    await writeExitRecord(exitPath, { code: 1, reason: 'an earlier launcher of this uid', time: '2026-01-01T00:00:00.000Z' });
    const done = supervisor(named).run();
    const client = LauncherClient.connect(`${runDir()}/sockets/u1.sock`);
    const ping = await eventually('Ping', () => client.ping({ deadlineMs: 200 }), { timeoutMs: 10_000, intervalMs: 20 });
    expect(ping).toMatchObject({ ready: true, consoleLog: `${runDir()}/u1/console.log`, libvirtVersion: '9.0.0', qemuVersion: '7.2.0' });
    expect(await readExitRecord(exitPath)).toBeUndefined(); // a stale record would say this launcher had ended
    client.close();
    await runningGuest('default_vm1');
    // The guest powers off by itself (libvirt reports it as an ACPI-style shutdown).
    await libvirt.shutdown('default_vm1');
    expect(await done).toEqual({ code: 0, reason: 'the guest shut down', stopReason: 'shutdown' });
    expect(await readExitRecord(exitPath)).toMatchObject({ code: 0, reason: 'the guest shut down', domainStopReason: 'shutdown' });
    expect(calls).toContain('undefine default_vm1');
    expect(calls).not.toContain('shutdown default_vm1');
    expect(daemonStopped).toBe(true);
  });

  it('ignores other domains by name and exits 3 when its own never comes', async () => {
    await runningGuest('default_other');
    const s = started(supervisor([...named, '--domain-wait-timeout-seconds', '1']));
    await ready();
    clock.advance(999);
    await ready();
    expect(s.finished()).toBe(false);
    clock.advance(1);
    const r = await s.done;
    expect(r.code).toBe(3);
    expect(r.reason).toMatch(/^no domain default_vm1 was defined on .*libvirt-sock within 1s/);
    const record = await readExitRecord(`${runDir()}/u1/launcher-exit.json`);
    expect(record).toMatchObject({ code: 3, reason: r.reason });
    expect(record).not.toHaveProperty('domainStopReason');
    expect(calls).not.toContain('destroy default_other');
  });

  it('SIGTERM: ACPI first, re-sent while the guest ignores it, destroy after the grace period, exit 0', async () => {
    await runningGuest('default_vm1', { acpi: false });
    const supervised = supervisor([...named, '--grace-period-seconds', '10']);
    const s = started(supervised);
    await ready();
    supervised.stop('SIGTERM');
    await waitFor('the first ACPI shutdown', () => calls.includes('shutdown default_vm1'));
    clock.advance(3000);
    await waitFor('the ACPI shutdown re-sent', () => calls.filter((c) => c === 'shutdown default_vm1').length === 2);
    clock.advance(6999);
    await ready();
    expect(calls).not.toContain('destroy default_vm1');
    expect(s.finished()).toBe(false);
    clock.advance(1);
    expect(await s.done).toMatchObject({ code: 0, stopReason: 'destroyed' });
    expect(calls.slice(0, 4)).toEqual(['shutdown default_vm1', 'shutdown default_vm1', 'shutdown default_vm1', 'destroy default_vm1']);
  });

  it('a second SIGTERM destroys at once', async () => {
    await runningGuest('default_vm1', { acpi: false });
    const supervised = supervisor([...named, '--grace-period-seconds', '600']);
    const s = started(supervised);
    await ready();
    supervised.stop('SIGTERM');
    await waitFor('the first ACPI shutdown', () => calls.includes('shutdown default_vm1'));
    supervised.stop('SIGTERM');
    expect(await s.done).toMatchObject({ code: 0, stopReason: 'destroyed' });
    expect(clock.now()).toBe(0);
  });

  it('exits 1 when the guest crashes or another client destroys it; follows any domain when unnamed', async () => {
    await runningGuest('ns_whatever');
    const s = started(supervisor());
    await ready();
    libvirt.crash('ns_whatever');
    expect(await s.done).toMatchObject({ code: 1, reason: 'the guest crashed' });

    libvirt = new InMemoryDomainManager();
    await runningGuest('default_vm1');
    const t = started(supervisor(named));
    await ready();
    await libvirt.destroy('default_vm1');
    expect(await t.done).toMatchObject({ code: 1, reason: 'the domain was destroyed by another libvirt client' });
  });

  it('exits 4 when the connection to its libvirtd is lost', async () => {
    await runningGuest('default_vm1');
    const s = started(supervisor(named));
    await ready();
    for (const l of closeListeners) l('eof');
    const r = await s.done;
    expect(r.code).toBe(4);
    expect(r.reason).toContain("connection to the launcher's libvirtd lost (eof)");
    expect(daemonStopped).toBe(true);
  });

  it('SIGTERM with no domain exits 0 at once', async () => {
    const supervised = supervisor(named);
    const s = started(supervised);
    await ready();
    supervised.stop('SIGTERM');
    expect(await s.done).toEqual({ code: 0, reason: 'SIGTERM: no domain was defined' });
  });

  it('exits 4 with the reason, recorded for the handler, when its disks cannot be prepared; no libvirtd is started', async () => {
    const s = supervisor(named, async () => {
      throw new Error('containerDisk volume "root": no file found in folder /disk, no disk present');
    });
    const r = await s.run();
    expect(r).toEqual({ code: 4, reason: 'containerDisk volume "root": no file found in folder /disk, no disk present' });
    expect(daemonStarted).toBe(false);
    expect(await readExitRecord(`${runDir()}/u1/launcher-exit.json`)).toMatchObject({ code: 4, reason: r.reason });
  });
});
