import type { Condition, ObjectMeta, Quantity, ResourceRequirements, Toleration } from './meta.js';

export const API_GROUP = 'kubevirt.io';
export const API_VERSION = 'v1';
export const GROUP_VERSION = `${API_GROUP}/${API_VERSION}` as const;

/** A QAT virtual function to pass through (qvirt's addition to kubevirt.io/v1). */
export interface Qat {
  /** DNS label, unique within spec.domain.devices.qats. Becomes alias `ua-qat-<name>`. */
  name: string;
  /** Extended resource that provides the VF, e.g. `qat.intel.com/generic`. */
  deviceName: string;
}

/** KubeVirt's HostDevice (PCI passthrough of a device-plugin resource). */
export interface HostDevice {
  name: string;
  deviceName: string;
  tag?: string;
}

export interface DiskTarget {
  bus?: 'virtio' | 'sata' | 'scsi';
  readonly?: boolean;
}

export interface Disk {
  name: string;
  disk?: DiskTarget;
  cdrom?: { bus?: 'sata' | 'scsi'; readonly?: boolean };
  bootOrder?: number;
  serial?: string;
  cache?: 'none' | 'writethrough' | 'writeback';
}

export interface HostDiskSource {
  path: string;
  type: 'Disk' | 'DiskOrCreate';
  capacity?: Quantity;
  shared?: boolean;
}

export interface Volume {
  name: string;
  hostDisk?: HostDiskSource;
  containerDisk?: { image: string; path?: string; imagePullPolicy?: PullPolicy; imagePullSecret?: string };
  emptyDisk?: { capacity: Quantity };
  cloudInitNoCloud?: CloudInitSource;
  cloudInitConfigDrive?: CloudInitSource;
}

export interface Devices {
  disks?: Disk[];
  qats?: Qat[];
  hostDevices?: HostDevice[];
  autoattachSerialConsole?: boolean;
}

/** cloud-init data given inline (KubeVirt's CloudInitNoCloudSource / CloudInitConfigDriveSource). */
export interface CloudInitSource {
  userData?: string;
  userDataBase64?: string;
  networkData?: string;
  networkDataBase64?: string;
}

/** A Kubernetes image pull policy. */
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/**
 * Direct kernel boot. KubeVirt takes kernel and initrd from a container image;
 * qvirt also accepts them from the node's file system (hostPath), which is how
 * the local stack boots its test guest without an image registry.
 */
export interface KernelBoot {
  kernelArgs?: string;
  container?: { image: string; kernelPath?: string; initrdPath?: string; imagePullPolicy?: PullPolicy; imagePullSecret?: string };
  hostPath?: { kernelPath: string; initrdPath?: string };
}

export interface Firmware {
  uuid?: string;
  serial?: string;
  kernelBoot?: KernelBoot;
  bootloader?: { bios?: Record<string, never>; efi?: { secureBoot?: boolean } };
}

export interface CPU {
  cores?: number;
  sockets?: number;
  threads?: number;
  model?: string;
  dedicatedCpuPlacement?: boolean;
}

export interface DomainSpec {
  resources?: ResourceRequirements;
  cpu?: CPU;
  memory?: { guest?: Quantity };
  machine?: { type?: string };
  firmware?: Firmware;
  features?: { acpi?: { enabled?: boolean } };
  devices: Devices;
}

export interface VirtualMachineInstanceSpec {
  domain: DomainSpec;
  volumes?: Volume[];
  nodeSelector?: Record<string, string>;
  affinity?: Record<string, unknown>;
  tolerations?: Toleration[];
  terminationGracePeriodSeconds?: number;
  hostname?: string;
  /** Guest CPU architecture; defaulted to `amd64` (KubeVirt's default on amd64), the only one qvirt runs. */
  architecture?: string;
}

export const VMI_PHASES = ['Pending', 'Scheduling', 'Scheduled', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export type VmiPhase = (typeof VMI_PHASES)[number];

export interface PhaseTransitionTimestamp {
  phase: VmiPhase;
  phaseTransitionTimestamp: string;
}

/** Which VF a device got: one entry of status.deviceStatus.hostDeviceStatuses[], keyed by device name (ADR 0005; docs/install.md shows one). */
export interface HostDeviceStatus {
  name: string;
  deviceName: string;
  pciAddress?: string;
  phase: 'Pending' | 'Allocated' | 'Failed';
  reason?: string;
}

export interface VirtualMachineInstanceStatus {
  phase?: VmiPhase;
  reason?: string;
  message?: string;
  nodeName?: string;
  conditions?: Condition[];
  phaseTransitionTimestamps?: PhaseTransitionTimestamp[];
  deviceStatus?: { hostDeviceStatuses?: HostDeviceStatus[] };
  activePods?: Record<string, string>;
  launcherContainerImageVersion?: string;
}

export interface VirtualMachineInstance {
  apiVersion: typeof GROUP_VERSION;
  kind: 'VirtualMachineInstance';
  metadata: ObjectMeta;
  spec: VirtualMachineInstanceSpec;
  status?: VirtualMachineInstanceStatus;
}
