// Names other components and users rely on. KubeVirt's spelling wherever KubeVirt has one.

export const FeatureGate = {
  QAT: 'QAT',
  HostDevices: 'HostDevices',
} as const;
export type FeatureGateName = (typeof FeatureGate)[keyof typeof FeatureGate];

export const Labels = {
  /** `kubevirt.io=virt-launcher` marks launcher pods. */
  app: 'kubevirt.io',
  createdBy: 'kubevirt.io/created-by',
  nodeName: 'kubevirt.io/nodeName',
  vmiName: 'vm.kubevirt.io/name',
  schedulable: 'kubevirt.io/schedulable',
  qatGeneration: 'qvirt.io/qat-generation',
  qatVfs: 'qvirt.io/qat-vfs',
  simulatedQat: 'qvirt.io/simulated-qat',
} as const;

export const LabelValues = {
  launcher: 'virt-launcher',
} as const;

export const Annotations = {
  domain: 'kubevirt.io/domain',
  /** Set on a VMI that a VM controller created from its template. */
  vmGeneration: 'kubevirt.io/vm-generation',
} as const;

export const Finalizers = {
  /** KubeVirt's VMI finalizer: the launcher pod is gone before the VMI is. */
  vmi: 'foregroundDeleteVirtualMachine',
  /** KubeVirt's finalizer on VMIs owned by a VM. */
  vmController: 'kubevirt.io/virtualMachineControllerFinalize',
} as const;

export const ResourceNames = {
  qatGeneric: 'qat.intel.com/generic',
  qatPrefix: 'qat.intel.com/',
  kvm: 'devices.kubevirt.io/kvm',
} as const;

export const ConditionTypes = {
  ready: 'Ready',
  podScheduled: 'PodScheduled',
  liveMigratable: 'LiveMigratable',
  synchronized: 'Synchronized',
  failure: 'Failure',
} as const;

export const ConditionReasons = {
  hostDeviceNotLiveMigratable: 'HostDeviceNotLiveMigratable',
  failedCreate: 'FailedCreate',
} as const;

export const KubeVirtConfig = {
  namespace: 'kubevirt',
  configMapName: 'kubevirt-config',
  featureGatesKey: 'feature-gates',
  permittedHostDevicesKey: 'permittedHostDevices',
  machineTypeKey: 'machine-type',
} as const;

/** Default machine type, as KubeVirt's amd64 default. */
export const DEFAULT_MACHINE_TYPE = 'q35';

/** Ports and paths every component agrees on (docs/architecture.md, "Node layout"). */
export const NodePaths = {
  devicePluginDir: '/var/lib/kubelet/device-plugins',
  kubeletSocket: 'kubelet.sock',
  runDir: '/var/run/kubevirt',
} as const;

/** `<run-dir>/sockets/<vmi-uid>.sock`: the launcher's gRPC socket. */
export function launcherSocketPath(runDir: string, vmiUid: string): string {
  return `${runDir}/sockets/${vmiUid}.sock`;
}

/** `<run-dir>/<vmi-uid>/libvirt-sock`: the VM's own libvirtd. */
export function libvirtSocketPath(runDir: string, vmiUid: string): string {
  return `${runDir}/${vmiUid}/libvirt-sock`;
}

/** `<run-dir>/<vmi-uid>/launcher-exit.json`: how the launcher ended, written before it tears down. */
export function launcherExitPath(runDir: string, vmiUid: string): string {
  return `${runDir}/${vmiUid}/launcher-exit.json`;
}

/**
 * `PCI_RESOURCE_<NAME>`: resource name upper-cased, `/` and `.` to `_`, hyphens kept
 * (KubeVirt's convention, so allocations from its PCI plugin and Intel's read the same).
 */
export function pciResourceEnvName(resourceName: string): string {
  return `PCI_RESOURCE_${resourceName.toUpperCase().replace(/[/.]/g, '_')}`;
}
