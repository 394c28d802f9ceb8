// Real xorrisofs (Debian's xorriso): the ISO is read back with xorriso, as the guest's cloud-init would see it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CloudInitDisk } from '@qvirt/domain';
import { silentLogger } from '@qvirt/log';
import { useTempDir } from '@qvirt/testing/vitest';
import { writeCloudInitIso } from './cloud-init-iso.js';

const dir = useTempDir('qvirt-cloudinit-');

function readIso(iso: string, path: string): string {
  const out = join(dir(), `extracted-${Math.random().toString(36).slice(2)}`);
  execFileSync('xorriso', ['-indev', iso, '-osirrox', 'on', '-extract', path, out], { stdio: 'ignore' });
  return readFileSync(out, 'utf8');
}
function volid(iso: string): string {
  const out = execFileSync('xorriso', ['-indev', iso, '-pvd_info'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return /Volume Id\s*:\s*(\S+)/.exec(out)?.[1] ?? '';
}

describe('writeCloudInitIso', () => {
  it('NoCloud: an ISO labelled cidata holding meta-data and user-data under their own names; no staged files left', async () => {
    const disk: CloudInitDisk = {
      volumeName: 'ci',
      kind: 'noCloud',
      label: 'cidata',
      isoPath: join(dir(), 'cloud-init-data/ns/vm/noCloud.iso'),
      files: { 'meta-data': '{"instance-id":"i-1","local-hostname":"vm"}', 'user-data': '#cloud-config\nruncmd: [echo hi]\n' },
    };
    await writeCloudInitIso(disk, silentLogger);
    expect(volid(disk.isoPath)).toBe('cidata');
    expect(readIso(disk.isoPath, '/meta-data')).toBe(disk.files['meta-data']);
    expect(readIso(disk.isoPath, '/user-data')).toBe(disk.files['user-data']);
    expect(readdirSync(join(dir(), 'cloud-init-data/ns/vm'))).toEqual(['noCloud.iso']);
  });

  it('ConfigDrive: config-2 with the OpenStack tree', async () => {
    const disk: CloudInitDisk = {
      volumeName: 'cd',
      kind: 'configDrive',
      label: 'config-2',
      isoPath: join(dir(), 'configdrive.iso'),
      files: { 'openstack/latest/meta_data.json': '{"uuid":"u"}', 'openstack/latest/user_data': 'u' },
    };
    await writeCloudInitIso(disk, silentLogger);
    expect(volid(disk.isoPath)).toBe('config-2');
    expect(readIso(disk.isoPath, '/openstack/latest/meta_data.json')).toBe('{"uuid":"u"}');
  });

  it('fails with the volume named when the ISO cannot be written, and leaves no staging behind', async () => {
    const disk: CloudInitDisk = { volumeName: 'ci', kind: 'noCloud', label: 'cidata', isoPath: join(dir(), 'x/noCloud.iso'), files: { 'user-data': 'x' } };
    execFileSync('mkdir', ['-p', disk.isoPath]); // a directory where the ISO should go
    execFileSync('touch', [join(disk.isoPath, 'keep')]);
    await expect(writeCloudInitIso(disk, silentLogger)).rejects.toThrow('cloud-init volume "ci"');
    expect(readdirSync(join(dir(), 'x')).filter((n) => n.startsWith('.staging-'))).toEqual([]);
    expect(existsSync(join(disk.isoPath, 'keep'))).toBe(true);
  });
});
