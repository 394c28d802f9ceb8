import { spawn } from 'node:child_process';
import { stat, writeFile, readFile } from 'node:fs/promises';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import { useTempDir } from '@qvirt/testing/vitest';
import { LauncherClient, LauncherRpcError, LauncherSocketError, serveLauncher, type LauncherHandlers, type LauncherServer, type PingInfo } from './index.js';

const pingInfo: PingInfo = {
  ready: true,
  libvirtSocket: '/run/kubevirt/uid-1/libvirt-sock',
  vmiUid: 'uid-1',
  launcherVersion: '0.1.0',
  libvirtVersion: '9.0.0',
  qemuVersion: '7.2.0',
  consoleLog: '/run/kubevirt/uid-1/console.log',
};

const handlers: LauncherHandlers = {
  ping: () => pingInfo,
  getAllocation: (names) => {
    if (names.includes('bad/res')) {
      throw new LauncherRpcError('FAILED_PRECONDITION', 'PCI_RESOURCE_BAD_RES: "zz" is not a PCI address');
    }
    if (names.includes('boom/res')) throw new Error('kaboom');
    return names.map((n) => ({ resourceName: n, pciAddresses: ['0000:3d:01.1', '0000:3d:01.2'], sourceEnv: 'PCI_RESOURCE_X' }));
  },
};

const dir = useTempDir('launcher-rpc-');
let server: LauncherServer | undefined;
let client: LauncherClient | undefined;
const others: NetServer[] = [];

afterEach(async () => {
  client?.close();
  client = undefined;
  await server?.close();
  server = undefined;
  for (const s of others.splice(0)) await new Promise((done) => s.close(done));
});

describe('launcher rpc over a unix socket', () => {
  it('answers Ping and GetAllocation with typed messages, on a 0600 socket', async () => {
    const socketPath = join(dir(), 'sockets', 'uid-1.sock');
    server = await serveLauncher({ socketPath, handlers });
    const st = await stat(socketPath);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);

    client = LauncherClient.connect(socketPath);
    expect(await client.ping({ deadlineMs: 2000 })).toEqual(pingInfo);
    expect(await client.getAllocation(['qat.intel.com/generic'])).toEqual([
      { resourceName: 'qat.intel.com/generic', pciAddresses: ['0000:3d:01.1', '0000:3d:01.2'], sourceEnv: 'PCI_RESOURCE_X' },
    ]);
    expect(await client.getAllocation([])).toEqual([]);
  });

  it('passes a handler FAILED_PRECONDITION through with its message; other errors become INTERNAL', async () => {
    const socketPath = join(dir(), 'l.sock');
    server = await serveLauncher({ socketPath, handlers });
    client = LauncherClient.connect(socketPath);
    const bad = await client.getAllocation(['bad/res']).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(LauncherRpcError);
    expect(bad).toMatchObject({ code: 'FAILED_PRECONDITION', message: 'PCI_RESOURCE_BAD_RES: "zz" is not a PCI address' });
    const boom = await client.getAllocation(['boom/res']).catch((e: unknown) => e);
    expect(boom).toMatchObject({ code: 'INTERNAL', message: 'GetAllocation: kaboom' });
  });

  it('removes the socket on close', async () => {
    const socketPath = join(dir(), 'l.sock');
    server = await serveLauncher({ socketPath, handlers });
    await server.close();
    server = undefined;
    await expect(stat(socketPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('replaces a stale socket left by a killed process', async () => {
    const socketPath = join(dir(), 'l.sock');
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('up'))`]);
    await new Promise<void>((ok) => child.stdout.once('data', () => ok()));
    child.kill('SIGKILL');
    await new Promise((ok) => child.once('exit', ok));
    expect((await stat(socketPath)).isSocket()).toBe(true);

    server = await serveLauncher({ socketPath, handlers });
    client = LauncherClient.connect(socketPath);
    expect((await client.ping()).vmiUid).toBe('uid-1');
  });

  it('refuses a path where a live server listens, and a path that is not a socket', async () => {
    const live = join(dir(), 'live.sock');
    const other = createServer();
    others.push(other);
    await new Promise<void>((ok) => other.listen(live, ok));
    await expect(serveLauncher({ socketPath: live, handlers })).rejects.toThrow(LauncherSocketError);
    await expect(serveLauncher({ socketPath: live, handlers })).rejects.toThrow(/another process is serving/);

    const file = join(dir(), 'file.sock');
    await writeFile(file, 'keep me');
    await expect(serveLauncher({ socketPath: file, handlers })).rejects.toThrow(/is not a socket/);
    expect(await readFile(file, 'utf8')).toBe('keep me');
  });

  it('fails fast with UNAVAILABLE when nothing listens, and reaches a launcher that starts later', async () => {
    const socketPath = join(dir(), 'late.sock');
    client = LauncherClient.connect(socketPath);
    const t0 = Date.now();
    const err = await client.ping({ deadlineMs: 5000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
    expect((err as Error).message).toContain(socketPath);
    expect(Date.now() - t0).toBeLessThan(2000);

    server = await serveLauncher({ socketPath, handlers });
    // Short reconnect backoff: the handler's next polls get through within about a second.
    const info = await eventually('a Ping through the new server', () => client!.ping({ deadlineMs: 500 }), { timeoutMs: 3000, intervalMs: 100 });
    expect(info.ready).toBe(true);
  });

  it('honours the deadline on a socket that accepts but never answers', async () => {
    const socketPath = join(dir(), 'dead.sock');
    const conns: Socket[] = [];
    const silent = createServer((c) => conns.push(c)); // accepts, never speaks HTTP/2
    others.push(silent);
    await new Promise<void>((ok) => silent.listen(socketPath, ok));
    client = LauncherClient.connect(socketPath);
    const t0 = Date.now();
    const err = await client.ping({ deadlineMs: 300 }).catch((e: unknown) => e);
    const elapsed = Date.now() - t0;
    expect(err).toBeInstanceOf(LauncherRpcError);
    expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
    client.close();
    client = undefined;
    for (const c of conns) c.destroy();
  });
});
