import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, ErrorDomain, LibvirtError } from '@qvirt/libvirt';
import { LauncherClient, readExitRecord, writeExitRecord } from '@qvirt/launcher-rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSupervisorArgs } from './config.js';
import type { PrivateDaemon, SupervisedConnection, SupervisedDomain, SupervisedLifecycleEvent } from './ports.js';
import { Supervisor } from './supervisor.js';

// In-memory libvirt: enough to drive the supervisor's decisions without a daemon (the real
// thing is covered by test/launcher.int.test.ts).
class FakeLibvirt {
  domains = new Map<string, { state: string; reason: string; acpiWorks: boolean }>();
  calls: string[] = [];
  listeners = new Set<(e: SupervisedLifecycleEvent) => void>();
  closeListeners = new Set<(r: string) => void>();
  lostReason: string | null = null;

  emit(name: string, event: string, detail: string): void {
    for (const l of this.listeners) l({ domainName: name, event, detail });
  }
  set(name: string, state: string, reason: string, event?: [string, string]): void {
    const d = this.domains.get(name);
    if (d) Object.assign(d, { state, reason });
    if (event) this.emit(name, ...event);
  }
  handle(name: string): SupervisedDomain {
    const get = () => {
      const d = this.domains.get(name);
      if (!d) throw new LibvirtError({ code: ErrorCode.NO_DOMAIN, domain: ErrorDomain.QEMU, level: 'error', message: 'no domain', operation: 'x' });
      return d;
    };
    return {
      name,
      state: async () => ({ state: get().state, reason: get().reason }),
      shutdown: async () => {
        this.calls.push(`shutdown ${name}`);
        if (get().acpiWorks) setTimeout(() => this.set(name, 'shutoff', 'shutdown', ['stopped', 'shutdown']), 20);
      },
      destroy: async () => {
        this.calls.push(`destroy ${name}`);
        this.set(name, 'shutoff', 'destroyed', ['stopped', 'destroyed']);
      },
      undefine: async () => {
        this.calls.push(`undefine ${name}`);
        this.domains.delete(name);
      },
      free: async () => undefined,
    };
  }
  connection(): SupervisedConnection {
    return {
      get lostReason() {
        return null;
      },
      lookupByName: async (name) => {
        if (this.lostReason) throw new LibvirtError({ code: ErrorCode.NO_CONNECT, domain: ErrorDomain.REMOTE, level: 'error', message: 'lost', operation: 'x' });
        if (!this.domains.has(name)) throw new LibvirtError({ code: ErrorCode.NO_DOMAIN, domain: ErrorDomain.QEMU, level: 'error', message: 'no domain', operation: 'x' });
        return this.handle(name);
      },
      listDomains: async () => [...this.domains.keys()].map((n) => this.handle(n)),
      libVersion: async () => '9.0.0',
      onLifecycle: async (l) => {
        this.listeners.add(l);
        return () => this.listeners.delete(l);
      },
      onClose: (l) => {
        this.closeListeners.add(l);
        return () => this.closeListeners.delete(l);
      },
      close: async () => {
        this.calls.push('close');
      },
    };
  }
  loseConnection(): void {
    this.lostReason = 'eof';
    for (const l of this.closeListeners) l('eof');
  }
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
let runDir: string;
let fake: FakeLibvirt;
let daemonStopped: boolean;

beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'supervisor-'));
  fake = new FakeLibvirt();
  daemonStopped = false;
});
afterEach(async () => {
  await rm(runDir, { recursive: true, force: true });
});

function supervisor(extra: string[] = [], env: Record<string, string> = {}): Supervisor {
  const config = parseSupervisorArgs(['--vmi-uid', 'u1', '--run-dir', runDir, ...extra]);
  const daemon: PrivateDaemon = {
    socketPath: `${runDir}/u1/libvirt-sock`,
    uri: 'fake://',
    libvirtdPid: process.pid,
    pids: [],
    exited: new Promise(() => undefined),
    stop: async () => {
      daemonStopped = true;
    },
  };
  return new Supervisor({
    config,
    env,
    logger: silent,
    launcherVersion: '0.1.0',
    qemuVersion: async () => '7.2.0',
    startDaemon: async () => daemon,
    openConnection: async () => fake.connection(),
    pollIntervalMs: 20,
  });
}

const named = ['--namespace', 'default', '--name', 'vm1'];
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

describe('Supervisor', () => {
  it('serves Ping with the console log and exits 0 when the guest shuts down by itself, recording how it ended', async () => {
    const exitPath = `${runDir}/u1/launcher-exit.json`;
    await mkdir(`${runDir}/u1`);
    await writeExitRecord(exitPath, { code: 1, reason: 'an earlier launcher of this uid', time: '2026-01-01T00:00:00.000Z' });
    const s = supervisor(named);
    const done = s.run();
    const client = LauncherClient.connect(`${runDir}/sockets/u1.sock`);
    let ping;
    for (let i = 0; i < 50 && !ping; i++) ping = await client.ping({ deadlineMs: 200 }).catch(() => sleep(20).then(() => undefined));
    expect(ping).toMatchObject({ ready: true, consoleLog: `${runDir}/u1/console.log`, libvirtVersion: '9.0.0', qemuVersion: '7.2.0' });
    expect(await readExitRecord(exitPath)).toBeUndefined(); // a stale record would say this launcher had ended
    client.close();
    fake.domains.set('default_vm1', { state: 'running', reason: 'booted', acpiWorks: true });
    fake.emit('default_vm1', 'started', 'booted');
    await sleep(50);
    fake.set('default_vm1', 'shutoff', 'shutdown', ['stopped', 'shutdown']);
    expect(await done).toEqual({ code: 0, reason: 'the guest shut down', stopReason: 'shutdown' });
    expect(await readExitRecord(exitPath)).toMatchObject({ code: 0, reason: 'the guest shut down', domainStopReason: 'shutdown' });
    expect(fake.calls).toContain('undefine default_vm1');
    expect(daemonStopped).toBe(true);
  });

  it('ignores other domains by name and exits 3 when its own never comes', async () => {
    fake.domains.set('default_other', { state: 'running', reason: 'booted', acpiWorks: true });
    const s = supervisor([...named, '--domain-wait-timeout-seconds', '1']);
    const t0 = Date.now();
    const r = await s.run();
    expect(r.code).toBe(3);
    expect(r.reason).toMatch(/^no domain default_vm1 was defined on .*libvirt-sock within 1s/);
    const record = await readExitRecord(`${runDir}/u1/launcher-exit.json`);
    expect(record).toMatchObject({ code: 3, reason: r.reason });
    expect(record).not.toHaveProperty('domainStopReason');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(fake.calls).not.toContain('destroy default_other');
  });

  it('SIGTERM: ACPI first, destroy after the grace period, exit 0', async () => {
    fake.domains.set('default_vm1', { state: 'running', reason: 'booted', acpiWorks: false });
    const s = supervisor([...named, '--grace-period-seconds', '1']);
    const done = s.run();
    await sleep(100);
    const t0 = Date.now();
    s.stop('SIGTERM');
    const r = await done;
    expect(r).toMatchObject({ code: 0, stopReason: 'destroyed' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(fake.calls.slice(0, 2)).toEqual(['shutdown default_vm1', 'destroy default_vm1']);
  });

  it('a second SIGTERM destroys at once', async () => {
    fake.domains.set('default_vm1', { state: 'running', reason: 'booted', acpiWorks: false });
    const s = supervisor([...named, '--grace-period-seconds', '600']);
    const done = s.run();
    await sleep(100);
    s.stop('SIGTERM');
    await sleep(100);
    s.stop('SIGTERM');
    expect(await done).toMatchObject({ code: 0, stopReason: 'destroyed' });
  });

  it('exits 1 when the guest crashes or another client destroys it; follows any domain when unnamed', async () => {
    fake.domains.set('ns_whatever', { state: 'running', reason: 'booted', acpiWorks: true });
    const s = supervisor();
    const done = s.run();
    await sleep(100);
    fake.set('ns_whatever', 'shutoff', 'crashed', ['stopped', 'crashed']);
    expect(await done).toMatchObject({ code: 1, reason: 'the guest crashed' });

    fake = new FakeLibvirt();
    fake.domains.set('default_vm1', { state: 'running', reason: 'booted', acpiWorks: true });
    const t = supervisor(named);
    const tDone = t.run();
    await sleep(100);
    fake.set('default_vm1', 'shutoff', 'destroyed', ['stopped', 'destroyed']);
    expect(await tDone).toMatchObject({ code: 1, reason: 'the domain was destroyed by another libvirt client' });
  });

  it('exits 4 when the connection to its libvirtd is lost', async () => {
    fake.domains.set('default_vm1', { state: 'running', reason: 'booted', acpiWorks: true });
    const s = supervisor(named);
    const done = s.run();
    await sleep(100);
    fake.loseConnection();
    const r = await done;
    expect(r.code).toBe(4);
    expect(r.reason).toContain("connection to the launcher's libvirtd lost (eof)");
    expect(daemonStopped).toBe(true);
  });

  it('SIGTERM with no domain exits 0 at once', async () => {
    const s = supervisor(named);
    const done = s.run();
    await sleep(100);
    s.stop('SIGTERM');
    expect(await done).toEqual({ code: 0, reason: 'SIGTERM: no domain was defined' });
  });
});
