import type { VirtualMachineInstance } from '@qvirt/api';
import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { deviceName, disksConfigurator } from './disks.configurator.js';

const ctx = { assignments: [], facts: { kvm: false } };
function withDisks(disks: NonNullable<VirtualMachineInstance['spec']['domain']['devices']['disks']>, volumes: VirtualMachineInstance['spec']['volumes']) {
  const vmi = plainVmi({ devices: { disks } });
  vmi.spec.volumes = volumes;
  return vmi;
}
const hostDisk = (name: string) => ({ name, hostDisk: { path: `/var/lib/qvirt/disks/${name}.img`, type: 'Disk' as const } });

describe('disksConfigurator', () => {
  it('renders hostDisk volumes with per-prefix target names', () => {
    const vmi = withDisks(
      [
        { name: 'root', disk: { bus: 'virtio' }, bootOrder: 1, serial: 'root-1' },
        { name: 'data', disk: { bus: 'sata' }, cache: 'none' },
        { name: 'logs' },
        { name: 'iso', cdrom: {} },
        { name: 'scratch', disk: { bus: 'scsi', readonly: true } },
      ],
      ['root', 'data', 'logs', 'iso', 'scratch'].map(hostDisk),
    );
    const d = emptyDomain();
    disksConfigurator.configure(vmi, d, ctx);
    expect(d.devices.disks.map((x) => [x.alias, x.device, x.target.dev, x.target.bus, x.readonly])).toEqual([
      ['ua-root', 'disk', 'vda', 'virtio', false],
      ['ua-data', 'disk', 'sda', 'sata', false],
      ['ua-logs', 'disk', 'vdb', 'virtio', false],
      ['ua-iso', 'cdrom', 'sdb', 'sata', true],
      ['ua-scratch', 'disk', 'sdc', 'scsi', true],
    ]);
    expect(d.devices.disks[0]).toMatchObject({ source: '/var/lib/qvirt/disks/root.img', bootOrder: 1, serial: 'root-1', driver: { type: 'raw' } });
    expect(d.devices.disks[1]!.driver).toEqual({ type: 'raw', cache: 'none' });
    expect(d.devices.controllers).toEqual([{ type: 'scsi', index: 0, model: 'virtio-scsi' }]);
  });

  it('names targets past z like the kernel', () => {
    expect([0, 25, 26, 27, 701, 702].map((i) => deviceName('vd', i))).toEqual(['vda', 'vdz', 'vdaa', 'vdab', 'vdzz', 'vdaaa']);
  });

  it('a containerDisk is its qcow2 overlay in the pod, whatever the image holds (ADR 0014)', () => {
    const domain = emptyDomain();
    disksConfigurator.configure(
      withDisks(
        [{ name: 'host' }, { name: 'root', disk: { bus: 'sata' } }],
        [hostDisk('host'), { name: 'root', containerDisk: { image: 'localhost/qvirt/containerdisk-tiny:1' } }],
      ),
      domain,
      ctx,
    );
    expect(domain.devices.disks.map((d) => [d.source, d.driver.type, d.target.dev])).toEqual([
      ['/var/lib/qvirt/disks/host.img', 'raw', 'vda'],
      ['/var/run/kubevirt-ephemeral-disks/disk-data/root/disk.qcow2', 'qcow2', 'sda'],
    ]);
  });

  it('an emptyDisk is the blank qcow2 the launcher makes in the pod', () => {
    const domain = emptyDomain();
    disksConfigurator.configure(withDisks([{ name: 'scratch' }], [{ name: 'scratch', emptyDisk: { capacity: '2Gi' } }]), domain, ctx);
    expect(domain.devices.disks.map((d) => [d.source, d.driver.type])).toEqual([['/var/run/kubevirt-ephemeral-disks/empty-disks/scratch.qcow2', 'qcow2']]);
  });

  it('a cloud-init volume is the raw ISO the launcher writes, on the bus its disk asks for', () => {
    const domain = emptyDomain();
    const vmi = withDisks([{ name: 'ci', cdrom: { bus: 'sata' } }], [{ name: 'ci', cloudInitNoCloud: { userData: '#cloud-config' } }]);
    vmi.metadata = { ...vmi.metadata, name: 'v', namespace: 'ns' };
    disksConfigurator.configure(vmi, domain, ctx);
    expect(domain.devices.disks.map((d) => [d.device, d.source, d.driver.type, d.target.dev, d.readonly])).toEqual([
      ['cdrom', '/var/run/kubevirt-ephemeral-disks/cloud-init-data/ns/v/noCloud.iso', 'raw', 'sda', true],
    ]);
  });

  it('names the field for a missing volume, an image-less containerDisk, a relative path and duplicates', () => {
    const run = (vmi: VirtualMachineInstance) => () => disksConfigurator.configure(vmi, emptyDomain(), ctx);
    expect(run(withDisks([{ name: 'root' }], []))).toThrow('spec.domain.devices.disks[0].name: no volume named "root" in spec.volumes');
    expect(run(withDisks([{ name: 'root' }], [{ name: 'root', containerDisk: { image: '' } }]))).toThrow('spec.volumes[0].containerDisk.image: is required');
    expect(run(withDisks([{ name: 'root' }], [{ name: 'root', hostDisk: { path: 'rel.img', type: 'Disk' } }]))).toThrow(
      'spec.volumes[0].hostDisk.path: "rel.img" is not an absolute path',
    );
    expect(run(withDisks([{ name: 'a' }, { name: 'a' }], [hostDisk('a')]))).toThrow('spec.domain.devices.disks[1].name: "a" is used by another disk');
    expect(run(withDisks([{ name: 'a', serial: 'x<y' }], [hostDisk('a')]))).toThrow('spec.domain.devices.disks[0].serial');
  });
});
