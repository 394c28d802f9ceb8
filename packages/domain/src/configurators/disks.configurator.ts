import { containerDisks, emptyDisks, type Disk, type VirtualMachineInstance, type Volume } from '@qvirt/api';
import { cloudInitDisk } from '../cloud-init.js';
import { DomainRenderError } from '../errors.js';
import type { DiskModel } from '../domain-model.js';
import type { DomainConfigurator } from './configurator.js';

const BUSES = ['virtio', 'sata', 'scsi'] as const;
type Bus = (typeof BUSES)[number];
const CACHES = ['none', 'writethrough', 'writeback'] as const;
// libvirt's schema for <serial> of a disk.
const DISK_SERIAL_RE = /^[A-Za-z0-9_.+\- ]+$/;
const ALIAS_NAME_RE = /^[A-Za-z0-9_-]+$/;

/**
 * Disks backed by containerDisk volumes (`<disk type='file'>`, the qcow2 overlay) and hostDisk
 * volumes (a raw file). Targets are
 * named per prefix in spec order, as KubeVirt does: virtio -> vda, vdb...; sata/scsi -> sda, sdb...
 * SCSI disks get one virtio-scsi controller.
 */
export const disksConfigurator: DomainConfigurator = {
  name: 'disks',
  configure(vmi, domain) {
    const disks = vmi.spec?.domain?.devices?.disks ?? [];
    const volumes = vmi.spec?.volumes ?? [];
    const volumeIndex = new Map<string, number>();
    volumes.forEach((v, i) => {
      if (!volumeIndex.has(v.name)) volumeIndex.set(v.name, i);
    });

    const perPrefix = new Map<string, number>();
    const seen = new Set<string>();
    const result: DiskModel[] = [];
    disks.forEach((disk, i) => {
      const field = `spec.domain.devices.disks[${i}]`;
      if (typeof disk.name !== 'string' || !ALIAS_NAME_RE.test(disk.name)) {
        throw new DomainRenderError(`${field}.name`, `${JSON.stringify(disk.name ?? null)} is not a valid disk name`);
      }
      if (seen.has(disk.name)) throw new DomainRenderError(`${field}.name`, `"${disk.name}" is used by another disk`);
      seen.add(disk.name);
      const vi = volumeIndex.get(disk.name);
      if (vi === undefined) throw new DomainRenderError(`${field}.name`, `no volume named "${disk.name}" in spec.volumes`);
      const { source, format } = diskSource(vmi, volumes[vi]!, `spec.volumes[${vi}]`);

      const isCdrom = disk.cdrom !== undefined;
      const bus: Bus = (isCdrom ? disk.cdrom?.bus : disk.disk?.bus) ?? (isCdrom ? 'sata' : 'virtio');
      if (!BUSES.includes(bus) || (isCdrom && bus === 'virtio')) {
        throw new DomainRenderError(
          `${field}.${isCdrom ? 'cdrom' : 'disk'}.bus`,
          `${JSON.stringify(bus)} is not supported (use ${isCdrom ? 'sata or scsi' : 'virtio, sata or scsi'})`,
        );
      }
      const prefix = bus === 'virtio' ? 'vd' : 'sd';
      const n = perPrefix.get(prefix) ?? 0;
      perPrefix.set(prefix, n + 1);

      const model: DiskModel = {
        device: isCdrom ? 'cdrom' : 'disk',
        source,
        driver: { type: format },
        target: { dev: deviceName(prefix, n), bus },
        readonly: isCdrom ? disk.cdrom?.readonly !== false : disk.disk?.readonly === true,
        alias: `ua-${disk.name}`,
      };
      applyOptional(disk, model, field);
      result.push(model);
    });

    domain.devices.disks = result;
    const others = domain.devices.controllers.filter((c) => c.type !== 'scsi');
    domain.devices.controllers = result.some((d) => d.target.bus === 'scsi') ? [...others, { type: 'scsi', index: 0, model: 'virtio-scsi' }] : others;
  },
};

/**
 * Where a disk's data is, as the launcher's QEMU sees it: a containerDisk's qcow2 overlay (the
 * launcher made it, backed by the image: ADR 0014), the cloud-init ISO the launcher wrote, or a
 * hostDisk's raw file.
 */
function diskSource(vmi: VirtualMachineInstance, volume: Volume, field: string): { source: string; format: 'raw' | 'qcow2' } {
  if (volume.containerDisk !== undefined) {
    const disk = containerDisks(vmi).find((d) => d.volumeName === volume.name);
    if (disk === undefined) throw new DomainRenderError(`${field}.containerDisk.image`, 'is required');
    return { source: disk.overlayPath, format: 'qcow2' };
  }
  if (volume.emptyDisk !== undefined) {
    const disk = emptyDisks(vmi).find((d) => d.volumeName === volume.name);
    if (disk === undefined) throw new DomainRenderError(`${field}.emptyDisk.capacity`, 'must be a quantity greater than 0');
    return { source: disk.path, format: 'qcow2' };
  }
  if (volume.cloudInitNoCloud !== undefined || volume.cloudInitConfigDrive !== undefined) {
    const disk = cloudInitDisk(vmi);
    if (disk?.volumeName !== volume.name) throw new DomainRenderError(field, 'only the first cloud-init volume is used, as in KubeVirt');
    return { source: disk.isoPath, format: 'raw' };
  }
  const path = volume.hostDisk?.path;
  if (volume.hostDisk === undefined)
    throw new DomainRenderError(
      field,
      `volume "${volume.name}" has no supported source (containerDisk, emptyDisk, cloudInitNoCloud, cloudInitConfigDrive, hostDisk)`,
    );
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new DomainRenderError(`${field}.hostDisk.path`, `${JSON.stringify(path ?? null)} is not an absolute path`);
  }
  return { source: path, format: 'raw' };
}

function applyOptional(disk: Disk, model: DiskModel, field: string): void {
  if (disk.cache !== undefined) {
    if (!CACHES.includes(disk.cache)) throw new DomainRenderError(`${field}.cache`, `${JSON.stringify(disk.cache)} is not one of ${CACHES.join(', ')}`);
    model.driver.cache = disk.cache;
  }
  if (disk.serial !== undefined) {
    if (typeof disk.serial !== 'string' || !DISK_SERIAL_RE.test(disk.serial)) {
      throw new DomainRenderError(`${field}.serial`, `${JSON.stringify(disk.serial)} may only hold letters, digits, space and _.+-`);
    }
    model.serial = disk.serial;
  }
  if (disk.bootOrder !== undefined) {
    if (!Number.isInteger(disk.bootOrder) || disk.bootOrder < 1) {
      throw new DomainRenderError(`${field}.bootOrder`, `${JSON.stringify(disk.bootOrder)} must be a positive integer`);
    }
    model.bootOrder = disk.bootOrder;
  }
}

/** 0 -> a, 25 -> z, 26 -> aa (the kernel's sd/vd naming). */
export function deviceName(prefix: string, index: number): string {
  let suffix = '';
  let i = index;
  do {
    suffix = String.fromCharCode(97 + (i % 26)) + suffix;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return prefix + suffix;
}
