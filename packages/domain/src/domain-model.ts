import type { PciAddress } from './pci-address.js';

// A typed, plain model of the libvirt domain XML qvirt writes: only what we set, nothing
// libvirt fills in. renderDomainXml writes it, parseDomainXml reads it back.

export type DomainType = 'kvm' | 'qemu';
export type LifecycleAction = 'destroy' | 'restart' | 'preserve' | 'rename-restart';

/** The VMI the domain belongs to, kept in `<metadata>` under qvirt's XML namespace. */
export interface VmiReference {
  namespace: string;
  name: string;
  uid?: string;
  gracePeriodSeconds?: number;
}

export interface CpuTopology {
  sockets: number;
  cores: number;
  threads: number;
}

export interface CpuModel {
  mode: 'host-passthrough' | 'host-model' | 'custom';
  /** A named model for mode `custom`, e.g. `qemu64`. */
  model?: string;
  topology: CpuTopology;
}

export interface OsModel {
  arch: 'x86_64';
  machine: string;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  /** `<boot dev=...>`; unset when the kernel is booted directly or disks carry a boot order. */
  bootDev?: 'hd' | 'cdrom';
}

export interface DiskModel {
  device: 'disk' | 'cdrom';
  /** The file backing the disk, as the launcher's QEMU sees it. */
  source: string;
  driver: { type: 'raw' | 'qcow2'; cache?: 'none' | 'writethrough' | 'writeback' };
  target: { dev: string; bus: 'virtio' | 'sata' | 'scsi' };
  readonly: boolean;
  serial?: string;
  bootOrder?: number;
  /** `ua-<disk name>`. */
  alias: string;
}

export interface ControllerModel {
  type: 'usb' | 'scsi';
  index: number;
  model: string;
}

/** `<hostdev mode='subsystem' type='pci' managed='no'>`: a VF already bound to vfio-pci. */
export interface HostdevModel {
  /** Host PCI address of the device. */
  source: PciAddress;
  /** `ua-qat-<name>` or `ua-hostdevice-<name>`. */
  alias: string;
}

export interface SerialModel {
  type: 'file' | 'pty';
  /** Log file for type `file`. */
  path?: string;
  port: number;
}

export interface ConsoleModel {
  type: 'file' | 'pty';
  path?: string;
  targetType: 'serial';
  port: number;
}

export interface DomainModel {
  type: DomainType;
  /** `<namespace>_<name>`, as KubeVirt names domains. */
  name: string;
  uuid: string;
  metadata?: VmiReference;
  memoryKiB: number;
  /** Set with locked memory: the cap libvirt also uses as the memlock limit. */
  memtune?: { hardLimitKiB: number };
  memoryBacking?: { locked: boolean };
  vcpus: number;
  cpu?: CpuModel;
  os: OsModel;
  features: { acpi: boolean };
  clock: { offset: 'utc' };
  onPoweroff: LifecycleAction;
  onReboot: LifecycleAction;
  onCrash: LifecycleAction;
  devices: {
    emulator?: string;
    disks: DiskModel[];
    controllers: ControllerModel[];
    hostdevs: HostdevModel[];
    serials: SerialModel[];
    consoles: ConsoleModel[];
    memballoon: { model: 'none' | 'virtio' };
  };
}

/** The starting point the configurators fill in. */
export function emptyDomain(): DomainModel {
  return {
    type: 'qemu',
    name: '',
    uuid: '',
    memoryKiB: 0,
    vcpus: 1,
    os: { arch: 'x86_64', machine: 'q35' },
    features: { acpi: false },
    clock: { offset: 'utc' },
    onPoweroff: 'destroy',
    onReboot: 'restart',
    onCrash: 'destroy',
    devices: { disks: [], controllers: [], hostdevs: [], serials: [], consoles: [], memballoon: { model: 'virtio' } },
  };
}
