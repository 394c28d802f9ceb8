import { describe, expect, it } from 'vitest';
import { gatesOn } from '../testing/fixtures.js';
import { validateVmiSpec } from '../vmi-spec.validator.js';
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
    expect(validateVolumes('spec', spec([{ name: 'd', hostDisk: { path: '/var/d.img', type: 'DiskOrCreate' } }]), gatesOn())).toEqual([
      {
        type: 'FieldValueRequired',
        field: 'spec.volumes[0].hostDisk.capacity',
        message: "spec.volumes[0].hostDisk.capacity is required for hostDisk volume type 'DiskOrCreate'",
      },
    ]);
    expect(validateVolumes('spec', spec([{ name: 'd', hostDisk: { path: '/var/d.img', type: 'DiskOrCreate', capacity: '0' } }]), gatesOn())).toEqual([
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

describe("KubeVirt's volume sources qvirt lacks", () => {
  const withVolume = (volume: Record<string, unknown>) => ({ domain: { memory: { guest: '1Gi' }, devices: {} }, volumes: [{ name: 'd', ...volume }] });
  const suffix = "(qvirt's volume sources are containerDisk, emptyDisk, cloudInitNoCloud, cloudInitConfigDrive and hostDisk)";

  it.each<[string, unknown, string]>([
    ['persistentVolumeClaim', { claimName: 'root' }, 'launcher pods mount no PersistentVolumeClaims'],
    ['sysprep', { secret: { name: 's' } }, 'no sysprep disk is built for the guest'],
    ['ephemeral', { persistentVolumeClaim: { claimName: 'base' } }, 'launcher pods mount no PersistentVolumeClaims to put an ephemeral overlay on'],
    ['dataVolume', { name: 'root-dv' }, 'a dataVolume needs CDI (the Containerized Data Importer), which qvirt does not include'],
    ['configMap', { name: 'cm' }, 'no ConfigMap is passed to the guest as a disk'],
    ['secret', { secretName: 's' }, 'no Secret is passed to the guest as a disk'],
    ['downwardAPI', { fields: [] }, 'no downward API disk is built for the guest'],
    ['serviceAccount', { serviceAccountName: 'default' }, 'no service account token is passed to the guest as a disk'],
    ['downwardMetrics', {}, 'no downward metrics are served to the guest'],
    ['memoryDump', { claimName: 'dump' }, 'no memory dumps are taken'],
    ['containerPath', { path: '/var/run/secrets' }, 'no container path is passed to the guest'],
    ['memoryDump (a value of any type)', 'big', 'no memory dumps are taken'],
  ])('a volume whose only source is %s gets one cause naming it', (name, value, why) => {
    const source = name.split(' ')[0]!;
    const field = `spec.volumes[0].${source}`;
    expect(validateVmiSpec('spec', withVolume({ [source]: value }), gatesOn())).toEqual([
      { type: 'FieldValueNotSupported', field, message: `${field}: not supported by qvirt: ${why} ${suffix}` },
    ]);
  });

  it('names the field under a VM template', () => {
    expect(validateVmiSpec('spec.template.spec', withVolume({ dataVolume: { name: 'dv' } }), gatesOn()).map((c) => c.field)).toEqual([
      'spec.template.spec.volumes[0].dataVolume',
    ]);
  });

  it.each<[string, Record<string, unknown>, { field: string; type: string }[]]>([
    [
      'one source qvirt has beside one it lacks: the one it lacks',
      { containerDisk: { image: 'i' }, persistentVolumeClaim: {} },
      [{ type: 'FieldValueNotSupported', field: 'spec.volumes[0].persistentVolumeClaim' }],
    ],
    [
      'two sources it lacks: one cause each',
      { persistentVolumeClaim: {}, secret: {} },
      [
        { type: 'FieldValueNotSupported', field: 'spec.volumes[0].persistentVolumeClaim' },
        { type: 'FieldValueNotSupported', field: 'spec.volumes[0].secret' },
      ],
    ],
    [
      'two sources qvirt has beside one it lacks: both problems',
      { containerDisk: { image: 'i' }, hostDisk: { path: '/d.img', type: 'Disk' }, secret: {} },
      [
        { type: 'FieldValueNotSupported', field: 'spec.volumes[0].secret' },
        { type: 'FieldValueInvalid', field: 'spec.volumes[0]' },
      ],
    ],
    ['no source: exactly one', {}, [{ type: 'FieldValueInvalid', field: 'spec.volumes[0]' }]],
    ["a null source (Go's nil): no source", { persistentVolumeClaim: null }, [{ type: 'FieldValueInvalid', field: 'spec.volumes[0]' }]],
    [
      'a misspelt source: an unknown field, and no source',
      { containerDsik: { image: 'i' } },
      [
        { type: 'FieldValueNotSupported', field: 'spec.volumes[0].containerDsik' },
        { type: 'FieldValueInvalid', field: 'spec.volumes[0]' },
      ],
    ],
  ])('%s', (_, volume, expected) => {
    expect(validateVmiSpec('spec', withVolume(volume), gatesOn()).map(({ type, field }) => ({ type, field }))).toEqual(expected);
  });

  it('keeps "must have exactly one source type set" and the unknown-field cause in their wording', () => {
    expect(validateVmiSpec('spec', withVolume({ containerDsik: {} }), gatesOn()).map((c) => c.message)).toEqual([
      'unknown field "spec.volumes[0].containerDsik"',
      'spec.volumes[0] must have exactly one source type set',
    ]);
  });
});

describe('DiskOrCreate hostDisks', () => {
  const spec = (path: string) => ({
    domain: { memory: { guest: '1Gi' }, devices: {} },
    volumes: [{ name: 'd', hostDisk: { path, type: 'DiskOrCreate', capacity: '1Gi' } }],
  });
  it('refuses a disk directly under /, whose directory would be the node root', () => {
    expect(validateVmiSpec('spec', spec('/disk.img'), gatesOn())).toEqual([
      {
        type: 'FieldValueNotSupported',
        field: 'spec.volumes[0].hostDisk.path',
        message:
          "spec.volumes[0].hostDisk.path: a DiskOrCreate disk's directory is mounted into the launcher pod, and qvirt mounts no node's root directory: put the disk in a directory of its own",
      },
    ]);
  });
  it('admits one in a directory of its own', () => expect(validateVmiSpec('spec', spec('/var/data/disk.img'), gatesOn())).toEqual([]));
});
