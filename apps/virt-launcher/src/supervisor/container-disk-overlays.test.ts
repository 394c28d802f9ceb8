// Real qemu-img (Debian's qemu-utils) on files laid out as an image volume is laid out.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@qvirt/log';
import { useTempDir } from '@qvirt/testing/vitest';
import { diskFileOf, makeContainerDiskOverlays, makeEmptyDisks, sizeHostDisks } from './container-disk-overlays.js';

const dir = useTempDir('qvirt-cdisk-');

function image(files: Record<string, 'qcow2' | 'raw' | 'dir'>): string {
  const root = join(dir(), 'img');
  for (const [path, kind] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(kind === 'dir' ? file : join(file, '..'), { recursive: true });
    if (kind === 'raw') writeFileSync(file, Buffer.alloc(1024 * 1024));
    if (kind === 'qcow2') execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, '8M']);
  }
  return root;
}

function info(file: string): { format: string; 'backing-filename'?: string; 'backing-filename-format'?: string; 'virtual-size': number } {
  return JSON.parse(execFileSync('qemu-img', ['info', '--output=json', '-U', file], { encoding: 'utf8' })) as never;
}

describe('containerDisk overlays', () => {
  it('backs a qcow2 overlay with the one file under /disk/, keeping its format and size', async () => {
    const mountDir = image({ 'disk/tiny.qcow2': 'qcow2' });
    const overlayPath = join(dir(), 'eph/disk-data/root/disk.qcow2');
    const [report] = await makeContainerDiskOverlays([{ volumeName: 'root', mountDir, overlayPath }], silentLogger);
    expect(report).toMatchObject({ volumeName: 'root', backingFile: `${mountDir}/disk/tiny.qcow2`, backingFormat: 'qcow2', overlayPath });
    expect(info(overlayPath)).toMatchObject({
      format: 'qcow2',
      'backing-filename': `${mountDir}/disk/tiny.qcow2`,
      'backing-filename-format': 'qcow2',
      'virtual-size': 8 * 1024 * 1024,
    });
  });

  it('detects raw by content and honours containerDisk.path', async () => {
    const mountDir = image({ 'disk/a.qcow2': 'qcow2', 'other/b.img': 'raw' });
    const overlayPath = join(dir(), 'o.qcow2');
    const [report] = await makeContainerDiskOverlays([{ volumeName: 'b', mountDir, path: '/other/b.img', overlayPath }], silentLogger);
    expect(report?.backingFormat).toBe('raw');
    expect(info(overlayPath)['backing-filename-format']).toBe('raw');
  });

  it('makes the overlay afresh: writes of an earlier launcher are gone', async () => {
    const mountDir = image({ 'disk/d.raw': 'raw' });
    const overlayPath = join(dir(), 'o.qcow2');
    writeFileSync(overlayPath, 'old writes');
    await makeContainerDiskOverlays([{ volumeName: 'd', mountDir, overlayPath }], silentLogger);
    expect(info(overlayPath).format).toBe('qcow2');
  });

  it.each([
    [{ disk: 'dir' } as const, undefined, 'containerDisk volume "v": no file found in folder /disk, no disk present'],
    [{ 'disk/a.raw': 'raw', 'disk/b.raw': 'raw' } as const, undefined, 'more than one file found in folder /disk, only one disk is allowed'],
    [{ 'x/a.raw': 'raw' } as const, undefined, 'failed to check default image path /disk'],
    [{ 'disk/a.raw': 'raw' } as const, '/nope.img', 'containerDisk volume "v": disk file /nope.img not found in the image'],
    [{ 'disk/sub': 'dir' } as const, undefined, 'in the image is not a file'],
  ])('refuses an image %j (path %s): %s', async (files, path, message) => {
    const mountDir = image(files);
    await expect(
      makeContainerDiskOverlays([{ volumeName: 'v', mountDir, ...(path ? { path } : {}), overlayPath: join(dir(), 'o.qcow2') }], silentLogger),
    ).rejects.toThrow(message);
  });

  it('never leaves the image for a path with ..', async () => {
    const mountDir = image({ 'disk/a.raw': 'raw' });
    expect(await diskFileOf({ volumeName: 'v', mountDir, path: '/../../disk/a.raw', overlayPath: '/o' })).toBe(`${mountDir}/disk/a.raw`);
  });

  it('makes an emptyDisk afresh: a blank qcow2 of its capacity, allocating nothing yet', async () => {
    const path = join(dir(), 'empty-disks/emptydisk.qcow2');
    mkdirSync(join(dir(), 'empty-disks'));
    writeFileSync(path, 'old data');
    await makeEmptyDisks([{ volumeName: 'emptydisk', path, capacityBytes: 2 * 2 ** 30 }], silentLogger);
    expect(info(path)).toMatchObject({ format: 'qcow2', 'virtual-size': 2 * 2 ** 30 });
    expect(info(path)['backing-filename']).toBeUndefined();
  });

  it('creates a missing or empty DiskOrCreate hostDisk with its capacity, sparse, and leaves one with data alone', async () => {
    const missing = join(dir(), 'disk.img');
    const empty = join(dir(), 'empty.img');
    const used = join(dir(), 'used.img');
    writeFileSync(empty, '');
    writeFileSync(used, 'data');
    await sizeHostDisks(
      [
        { volumeName: 'a', path: missing, capacityBytes: 2 ** 30 },
        { volumeName: 'b', path: empty, capacityBytes: 2 ** 20 },
        { volumeName: 'c', path: used, capacityBytes: 2 ** 30 },
      ],
      silentLogger,
    );
    expect(statSync(missing).size).toBe(2 ** 30);
    expect(statSync(missing).blocks).toBe(0);
    expect(statSync(empty).size).toBe(2 ** 20);
    expect(statSync(used).size).toBe(4);
    await expect(sizeHostDisks([{ volumeName: 'd', path: join(dir(), 'no/such/dir.img'), capacityBytes: 1 }], silentLogger)).rejects.toThrow(
      'hostDisk volume "d"',
    );
  });
});
