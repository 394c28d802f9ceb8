import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findQemuDriver, writeDaemonFiles } from './daemon-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function paths() {
  const root = mkdtempSync(join(tmpdir(), 'qvirt-daemon-files-'));
  dirs.push(root);
  return { runDir: root, socketDir: join(root, 'sock'), logDir: join(root, 'log') };
}

describe('writeDaemonFiles', () => {
  it('writes the three configs and a driver directory holding only the QEMU driver (this host has libvirt installed)', () => {
    const p = paths();
    const f = writeDaemonFiles(p, 'namespace');
    expect(readFileSync(f.libvirtdConf, 'utf8')).toContain(`unix_sock_dir = "${p.socketDir}"`);
    expect(readFileSync(f.libvirtdConf, 'utf8')).toContain('3:file:/var/log/libvirt/libvirtd.log');
    expect(readFileSync(f.qemuConf, 'utf8')).not.toContain('namespaces = [ ]');
    const driver = findQemuDriver();
    expect(driver).toMatch(/\/libvirt\/connection-driver\/libvirt_driver_qemu\.so$/);
    expect(f.driverDir).toBe(join(p.runDir, 'drivers'));
    expect(readlinkSync(join(f.driverDir!, 'libvirt_driver_qemu.so'))).toBe(driver);
    expect(existsSync(join(f.driverDir!, 'libvirt_driver_network.so'))).toBe(false);
  });

  it('in container mode the daemons log into logDir and QEMU gets no namespaces or cgroups of its own', () => {
    const p = paths();
    const f = writeDaemonFiles(p, 'container');
    expect(readFileSync(f.libvirtdConf, 'utf8')).toContain(`3:file:${p.logDir}/libvirtd.log`);
    expect(readFileSync(f.virtlogdConf, 'utf8')).toContain(`3:file:${p.logDir}/virtlogd.log`);
    expect(readFileSync(f.qemuConf, 'utf8')).toContain('namespaces = [ ]');
    // Written twice (a launcher restart): same result, no EEXIST.
    expect(writeDaemonFiles(p, 'container').driverDir).toBe(f.driverDir);
  });
});
