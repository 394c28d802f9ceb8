// Acceptance test of virt-launcher's in-pod mode with real processes: the launcher's own
// libvirtd + virtlogd in their namespace, QEMU (emulation), the test guest. The test plays
// virt-handler: Ping, GetAllocation, render with @qvirt/domain, define + start over FFI.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { VirtualMachineInstance } from '@qvirt/api';
import { renderDomain } from '@qvirt/domain';
import { LauncherClient, LauncherRpcError } from '@qvirt/launcher-rpc';
import { LibvirtConnection, LibvirtError, isConnectionLost, qemuUnixUri } from '@qvirt/libvirt';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import { parse } from 'yaml';
import { inSimulatedPod, startLauncher, survivors, waitForFileText, waitForReady, type LauncherProcess } from './launcher-process.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const QAT = 'qat.intel.com/generic';

interface Run {
  runDir: string;
  uid: string;
  namespace: string;
  name: string;
  domainName: string;
  launcher: LauncherProcess;
  client: LauncherClient;
  conn?: LibvirtConnection;
}

const runs: Run[] = [];

/** Host process (own namespaces) and launcher pod (container mode); ADR 0007. */
const MODES = ['namespace', 'container'] as const;
const wrapFor = (mode: (typeof MODES)[number]) => (mode === 'container' ? inSimulatedPod : (c: string[]) => c);

afterEach(async () => {
  for (const r of runs.splice(0)) {
    if (r.launcher.child.exitCode === null && r.launcher.child.signalCode === null) {
      r.launcher.child.kill('SIGKILL'); // its daemons die with it (pdeathsig + pid namespace)
      await r.launcher.exited;
      // In container mode QEMU is the launcher's adopted child: without the pod around it, a
      // failed test would leave it running on the host.
      for (const s of survivors(r.runDir, r.domainName, [])) process.kill(s.pid, 'SIGKILL');
    }
    r.client.close();
    await r.conn?.close().catch(() => undefined);
    await rm(r.runDir, { recursive: true, force: true });
  }
});

/** The shared run dir lives under /run, as /var/run/kubevirt does (/var/run -> /run on Debian). */
async function launch(opts: { extraArgs?: string[]; env?: Record<string, string>; wrap?: (command: string[]) => string[] } = {}): Promise<Run> {
  const runDir = await mkdtemp('/run/qvirt-launcher-it-');
  const uid = randomUUID();
  const namespace = 'qvirt-it';
  const name = `vmi-${uid.slice(0, 8)}`;
  const launcher = startLauncher(
    ['--vmi-uid', uid, '--run-dir', runDir, '--namespace', namespace, '--name', name, ...(opts.extraArgs ?? [])],
    opts.env,
    opts.wrap,
  );
  const client = LauncherClient.connect(`${runDir}/sockets/${uid}.sock`);
  const run: Run = { runDir, uid, namespace, name, domainName: `${namespace}_${name}`, launcher, client };
  runs.push(run);
  return run;
}

async function vmiFrom(file: string, run: Run): Promise<VirtualMachineInstance> {
  const vmi = parse(await readFile(`${EXAMPLES}/${file}`, 'utf8')) as VirtualMachineInstance;
  vmi.metadata = { ...vmi.metadata, name: run.name, namespace: run.namespace, uid: run.uid };
  return vmi;
}

/** What the handler does once the launcher is ready: allocation -> XML -> define. */
async function defineFor(run: Run, vmiFile: string, resources: string[]) {
  const ping = await waitForReady(run.client, run.launcher);
  const allocations = await run.client.getAllocation(resources);
  const allocation = new Map(allocations.map((a) => [a.resourceName, a.pciAddresses]));
  const xml = renderDomain(await vmiFrom(vmiFile, run), allocation, { kvm: false, consoleLogPath: ping.consoleLog });
  run.conn = await LibvirtConnection.open(qemuUnixUri(ping.libvirtSocket));
  const domain = await run.conn.defineXML(xml);
  return { ping, allocations, xml, domain };
}

async function expectNothingLeft(run: Run, daemonPids: number[]): Promise<void> {
  expect(daemonPids.length).toBeGreaterThanOrEqual(2); // libvirtd and virtlogd, at least
  // The launcher's teardown waits for its daemons; allow the kernel a moment to reap.
  await eventually(
    'no launcher process left',
    () => {
      expect(survivors(run.runDir, run.domainName, daemonPids)).toEqual([]);
      return true;
    },
    { timeoutMs: 2_000, intervalMs: 100 },
  );
  for (const s of ['libvirt-sock', 'libvirt-sock-ro', 'libvirt-admin-sock']) expect(existsSync(`${run.runDir}/${run.uid}/${s}`)).toBe(false);
  expect(existsSync(`${run.runDir}/sockets/${run.uid}.sock`)).toBe(false);
  // The private daemon's persistent config lived on a tmpfs: nothing landed in the host's.
  expect(existsSync(`/etc/libvirt/qemu/${run.domainName}.xml`)).toBe(false);
}

describe('virt-launcher in-pod mode', () => {
  it('boots the test guest for the handler and powers it off through ACPI on SIGTERM', async () => {
    const run = await launch({ extraArgs: ['--grace-period-seconds', '60'] });
    const { ping, domain } = await defineFor(run, 'vmi-plain.yaml', []);
    expect(ping).toMatchObject({
      ready: true,
      vmiUid: run.uid,
      libvirtSocket: `${run.runDir}/${run.uid}/libvirt-sock`,
      consoleLog: `${run.runDir}/${run.uid}/console.log`,
      launcherVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
      libvirtVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      qemuVersion: expect.stringMatching(/^\d+\.\d+/),
    });
    const sock = await stat(`${run.runDir}/sockets/${run.uid}.sock`);
    expect(sock.mode & 0o777).toBe(0o600);

    await domain.create();
    expect((await domain.state()).state).toBe('running');
    const bootMs = await waitForFileText(ping.consoleLog, 'QVIRT-GUEST-BOOTED', 120_000);
    expect(bootMs).toBeLessThan(120_000);
    const daemonPids = run.launcher.daemonPids();

    run.launcher.child.kill('SIGTERM');
    const exit = await run.launcher.exited;
    expect(exit, run.launcher.stderr()).toEqual({ code: 0, signal: null });
    // The guest itself saw the power button: ACPI, not destroy.
    expect(await readFile(ping.consoleLog, 'utf8')).toContain('QVIRT-GUEST-POWEROFF');
    const ended = run.launcher.logs().find((l) => l.msg === 'domain ended');
    expect(ended).toMatchObject({ stopReason: 'shutdown', code: 0 });
    await expectNothingLeft(run, daemonPids);
  });

  it('container mode: in a pod without CAP_SYS_ADMIN it runs libvirtd directly, boots the guest and leaves nothing on SIGTERM', async () => {
    const run = await launch({ extraArgs: ['--grace-period-seconds', '60'], wrap: inSimulatedPod });
    const { ping, domain } = await defineFor(run, 'vmi-plain.yaml', []);
    expect(run.launcher.logs().find((l) => l.msg === "starting the VM's libvirtd")).toMatchObject({ isolation: 'container' });
    const ready = run.launcher.logs().find((l) => l.msg === 'private libvirtd ready');
    expect(ready).toMatchObject({ isolation: 'container' });
    const daemonPids = run.launcher.daemonPids();
    // The daemons are the launcher's own children, not in a namespace of their own.
    for (const pid of daemonPids) expect(await readFile(`/proc/${pid}/status`, 'utf8')).toMatch(new RegExp(`^PPid:\\s+${run.launcher.child.pid}$`, 'm'));

    await domain.create();
    await waitForFileText(ping.consoleLog, 'QVIRT-GUEST-BOOTED', 120_000);
    // QEMU was daemonized by libvirtd and adopted by the launcher (child subreaper).
    const qemu = survivors(run.runDir, run.domainName, []).find((s) => s.cmdline.includes('qemu-system'));
    expect(qemu).toBeDefined();
    expect(await readFile(`/proc/${qemu!.pid}/status`, 'utf8')).toMatch(new RegExp(`^PPid:\\s+${run.launcher.child.pid}$`, 'm'));
    // QEMU's own log landed in the VMI's log dir, as in namespace mode.
    expect(existsSync(`${run.runDir}/${run.uid}/log/qemu/${run.domainName}.log`)).toBe(true);
    // Adopted processes are reaped while the launcher runs: libvirtd's capability probes and a
    // second guest on the same daemon, started and destroyed, leave no zombie behind.
    const other = await run.conn!.defineXML(
      renderDomain({ ...(await vmiFrom('vmi-plain.yaml', run)), metadata: { name: 'other', namespace: run.namespace, uid: randomUUID() } }, new Map(), {
        kvm: false,
        consoleLogPath: `${run.runDir}/other.log`,
      }),
    );
    await other.create();
    await other.destroy();
    await other.undefine();
    const zombieChildren = () =>
      readFileSync(`/proc/${run.launcher.child.pid}/task/${run.launcher.child.pid}/children`, 'utf8')
        .split(/\s+/)
        .filter(Boolean)
        .filter((p) => / Z /.test(readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\)/, '')));
    await eventually(
      'no zombie children',
      () => {
        expect(zombieChildren()).toEqual([]);
        return true;
      },
      { timeoutMs: 3_000, intervalMs: 100 },
    );

    run.launcher.child.kill('SIGTERM');
    const exit = await run.launcher.exited;
    expect(exit, run.launcher.stderr()).toEqual({ code: 0, signal: null });
    expect(await readFile(ping.consoleLog, 'utf8')).toContain('QVIRT-GUEST-POWEROFF');
    await expectNothingLeft(run, [...daemonPids, qemu!.pid]);
  });

  it.each(MODES)("%s mode: defines a QAT domain with its hostdev; start fails with libvirt's own error; SIGTERM leaves nothing", async (mode) => {
    const run = await launch({ env: { PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1' }, wrap: wrapFor(mode) });
    const { allocations, xml, domain } = await defineFor(run, 'vmi-qat.yaml', [QAT]);
    expect(allocations).toEqual([{ resourceName: QAT, pciAddresses: ['0000:3d:01.1'], sourceEnv: 'PCI_RESOURCE_QAT_INTEL_COM_GENERIC' }]);
    expect(xml).toContain('<alias name="ua-qat-qat1"/>');
    // libvirt accepted the definition, hostdev included.
    const defined = await domain.getXMLDesc(2);
    expect(defined).toMatch(/<hostdev mode=['"]subsystem['"] type=['"]pci['"] managed=['"]no['"]>/);
    expect(defined).toMatch(/<address domain=['"]0x0000['"] bus=['"]0x3d['"] slot=['"]0x01['"] function=['"]0x1['"]\/>/);

    const err = await domain.create().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LibvirtError);
    const lerr = err as LibvirtError;
    // Whatever libvirt says on this host (no IOMMU, no such device): its words, unchanged.
    expect(lerr.libvirtMessage).toMatch(/passthrough of host PCI devices|0000:3d:01\.1|PCI device/i);
    expect(lerr.message).toContain(lerr.libvirtMessage);
    expect((await domain.state()).state).toBe('shutoff');
    const daemonPids = run.launcher.daemonPids();

    run.launcher.child.kill('SIGTERM');
    expect(await run.launcher.exited).toEqual({ code: 0, signal: null });
    expect(run.launcher.logs().some((l) => /hostdev|passed through/i.test(String(l.msg)))).toBe(false);
    await expectNothingLeft(run, daemonPids);
  });

  it('SIGTERM while the guest boots: ACPI, grace period, destroy; exits 0 with no QEMU left', async () => {
    const run = await launch({ extraArgs: ['--grace-period-seconds', '1'] });
    const { domain } = await defineFor(run, 'vmi-plain.yaml', []);
    await domain.create();
    const daemonPids = run.launcher.daemonPids();
    run.launcher.child.kill('SIGTERM');
    expect(await run.launcher.exited).toEqual({ code: 0, signal: null });
    const ended = run.launcher.logs().find((l) => l.msg === 'domain ended');
    // Too early for the guest's power-button handler: the launcher destroyed it after 1 s.
    expect(ended).toMatchObject({ code: 0 });
    expect(['destroyed', 'shutdown']).toContain(ended?.stopReason);
    await expectNothingLeft(run, daemonPids);
  });

  it('rejects a malformed PCI address naming the variable, then gives up with exit 3 when no domain comes', async () => {
    const run = await launch({
      extraArgs: ['--domain-wait-timeout-seconds', '3'],
      env: { PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1,3d:01' },
    });
    await waitForReady(run.client, run.launcher);
    const err = await run.client.getAllocation([QAT]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LauncherRpcError);
    expect(err).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect((err as Error).message).toMatch(/^PCI_RESOURCE_QAT_INTEL_COM_GENERIC: "3d:01" .*not a PCI address/);
    const daemonPids = run.launcher.daemonPids();

    const t0 = Date.now();
    expect(await run.launcher.exited).toEqual({ code: 3, signal: null });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(run.launcher.stderr()).toContain(
      `no domain ${run.domainName} was defined on ${run.runDir}/${run.uid}/libvirt-sock within 3s (--domain-wait-timeout-seconds)`,
    );
    await expectNothingLeft(run, daemonPids);
  });

  it.each(MODES)("%s mode: gives the handler a typed error, not a hang, when the launcher's libvirtd dies; the launcher exits 4", async (mode) => {
    const run = await launch({ wrap: wrapFor(mode) });
    const { domain } = await defineFor(run, 'vmi-plain.yaml', []);
    await domain.create();
    const daemonPids = run.launcher.daemonPids();
    const libvirtd = run.launcher.logs().find((l) => l.msg === 'private libvirtd ready')?.pids as { libvirtd: number };
    process.kill(libvirtd.libvirtd, 'SIGKILL');

    const t0 = Date.now();
    const err = await domain.state().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(isConnectionLost(err)).toBe(true);

    expect(await run.launcher.exited).toEqual({ code: 4, signal: null });
    expect(run.launcher.stderr()).toMatch(/libvirtd/);
    await expectNothingLeft(run, daemonPids);
  });
});
