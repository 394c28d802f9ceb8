import { describe, expect, it } from 'vitest';
import { gatesOn } from '../testing/fixtures.js';
import { validateVolumes } from './volumes.rule.js';

type VolumeView = {
  name?: string;
  hostDisk?: { path?: string; type?: 'Disk' | 'DiskOrCreate'; capacity?: string };
  containerDisk?: { image?: string; path?: string };
};
const spec = (volumes: VolumeView[]) => ({ domain: { devices: {} }, volumes });

describe('validateVolumes', () => {
  it('accepts a hostDisk with an absolute path', () => {
    expect(validateVolumes('spec', spec([{ name: 'd', hostDisk: { path: '/var/lib/qvirt/disk.img', type: 'Disk' } }]), gatesOn())).toEqual([]);
  });

  it('wants hostDisk paths absolute', () => {
    expect(validateVolumes('spec', spec([{ name: 'd', hostDisk: { path: 'disk.img', type: 'Disk' } }]), gatesOn())).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.volumes[0].hostDisk.path',
        message: 'spec.volumes[0].hostDisk.path must be an absolute path to a file without relative components',
      },
    ]);
    expect(validateVolumes('spec', spec([{ name: 'd', hostDisk: { path: '', type: 'Disk' } }]), gatesOn())).toEqual([
      { type: 'FieldValueRequired', field: 'spec.volumes[0].hostDisk.path', message: 'spec.volumes[0].hostDisk.path is required for hostDisk volume' },
    ]);
  });

  it('wants a positive capacity for DiskOrCreate', () => {
    expect(validateVolumes('spec', spec([{ name: 'd', hostDisk: { path: '/d.img', type: 'DiskOrCreate' } }]), gatesOn())).toEqual([
      {
        type: 'FieldValueRequired',
        field: 'spec.volumes[0].hostDisk.capacity',
        message: "spec.volumes[0].hostDisk.capacity is required for hostDisk volume type 'DiskOrCreate'",
      },
    ]);
    expect(validateVolumes('spec', spec([{ name: 'd', hostDisk: { path: '/d.img', type: 'DiskOrCreate', capacity: '0' } }]), gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.volumes[0].hostDisk.capacity', message: "spec.volumes[0].hostDisk.capacity '0': must be greater than 0" },
    ]);
  });

  it('wants unique names and exactly one source', () => {
    const causes = validateVolumes(
      'spec.template.spec',
      spec([{ name: 'a', containerDisk: { image: 'i' } }, { name: 'a' }, { name: 'b', containerDisk: { image: 'i' }, hostDisk: { path: '/x', type: 'Disk' } }]),
      gatesOn(),
    );
    expect(causes).toEqual([
      {
        type: 'FieldValueDuplicate',
        field: 'spec.template.spec.volumes[1].name',
        message: 'spec.template.spec.volumes[1] and spec.template.spec.volumes[0] must not have the same name "a"',
      },
      { type: 'FieldValueInvalid', field: 'spec.template.spec.volumes[1]', message: 'spec.template.spec.volumes[1] must have exactly one source type set' },
      { type: 'FieldValueInvalid', field: 'spec.template.spec.volumes[2]', message: 'spec.template.spec.volumes[2] must have exactly one source type set' },
    ]);
  });
});
