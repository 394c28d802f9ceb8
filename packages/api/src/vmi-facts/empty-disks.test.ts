import { describe, expect, it } from 'vitest';
import type { VirtualMachineInstance } from '../types/vmi.js';
import { vmiFixture } from '../testing/fixtures.js';
import { EMPTY_DISKS_ENV, emptyDisks, hostDisksToCreate, parseSizedDisks } from './empty-disks.js';

function withVolumes(volumes: unknown): VirtualMachineInstance {
  const vmi = vmiFixture();
  (vmi.spec as { volumes?: unknown }).volumes = volumes;
  return vmi;
}

describe('emptyDisks', () => {
  it('lists emptyDisk volumes with their capacity in bytes and their overlay in the pod', () => {
    expect(
      emptyDisks(
        withVolumes([
          { name: 'c', containerDisk: { image: 'i' } },
          { name: 'emptydisk', emptyDisk: { capacity: '2Gi' } },
        ]),
      ),
    ).toEqual([{ volumeName: 'emptydisk', path: '/var/run/kubevirt-ephemeral-disks/empty-disks/emptydisk.qcow2', capacityBytes: 2 * 2 ** 30 }]);
  });
  it.each([
    ['no capacity', [{ name: 'e', emptyDisk: {} }]],
    ['a capacity that does not parse', [{ name: 'e', emptyDisk: { capacity: 'lots' } }]],
    ['a zero capacity', [{ name: 'e', emptyDisk: { capacity: '0' } }]],
    ['not a list', 'x'],
  ])('skips %s (validation reports it)', (_, volumes) => expect(emptyDisks(withVolumes(volumes))).toEqual([]));
  it('reads back what the controller writes, and names what is wrong', () => {
    const disks = emptyDisks(withVolumes([{ name: 'e', emptyDisk: { capacity: '1Mi' } }]));
    expect(parseSizedDisks(EMPTY_DISKS_ENV, JSON.stringify(disks))).toEqual(disks);
    expect(() => parseSizedDisks(EMPTY_DISKS_ENV, '[{"volumeName":"e","path":"/p","capacityBytes":-1}]')).toThrow(
      '[0].capacityBytes must be a positive integer',
    );
    expect(() => parseSizedDisks(EMPTY_DISKS_ENV, '[{"volumeName":"e","path":"p","capacityBytes":1}]')).toThrow('[0].path must be an absolute path');
  });
});

describe('hostDisksToCreate', () => {
  it('lists DiskOrCreate hostDisks with a capacity, and nothing else', () => {
    expect(
      hostDisksToCreate(
        withVolumes([
          { name: 'host-disk', hostDisk: { path: '/var/data/disk.img', type: 'DiskOrCreate', capacity: '1Gi' } },
          { name: 'existing', hostDisk: { path: '/var/data/other.img', type: 'Disk' } },
          { name: 'e', emptyDisk: { capacity: '1Gi' } },
        ]),
      ),
    ).toEqual([{ volumeName: 'host-disk', path: '/var/data/disk.img', capacityBytes: 2 ** 30 }]);
  });
});
