import { RUN_STRATEGIES } from '../types/vm.js';
import { VMI_PHASES } from '../types/vmi.js';
import { arr, bool, enumOf, int, boundedList, obj, opaque, quantity, quantityMap, str, stringMap, type JsonSchema } from './builders.js';

/** Upper bound on device lists: generous (a 4xxx host has 64 VFs per PF), but bounded. */
export const MAX_DEVICES = 256;

const deviceEntry = (what: string): JsonSchema =>
  obj(
    {
      name: str(`Name of this ${what} inside the VMI; a DNS label, unique in its list.`),
      deviceName: str('Extended resource that provides the device, e.g. qat.intel.com/generic.'),
    },
    ['name', 'deviceName'],
  );

const pullPolicy = enumOf(['Always', 'IfNotPresent', 'Never']);

const disk = obj(
  {
    name: str('Name of the volume this disk attaches.'),
    disk: obj({ bus: enumOf(['virtio', 'sata', 'scsi']), readonly: bool() }),
    cdrom: obj({ bus: enumOf(['sata', 'scsi']), readonly: bool() }),
    bootOrder: int('Boot order; lower boots first.', { minimum: 1 }),
    serial: str(),
    cache: enumOf(['none', 'writethrough', 'writeback']),
  },
  ['name'],
);

const cloudInit = (what: string): JsonSchema =>
  obj(
    {
      userData: str('cloud-init user data, as text (at most 2048 bytes, as KubeVirt).'),
      userDataBase64: str('The user data, base64-encoded.'),
      networkData: str('cloud-init network configuration, as text.'),
      networkDataBase64: str('The network configuration, base64-encoded.'),
      secretRef: obj({ name: str() }, undefined, 'Refused by qvirt: give the user data inline.'),
      networkDataSecretRef: obj({ name: str() }, undefined, 'Refused by qvirt: give the network data inline.'),
    },
    undefined,
    `A cloud-init ${what} disk the launcher builds for the guest.`,
  );

const volume = obj(
  {
    name: str(),
    hostDisk: obj(
      {
        path: str('Path of the disk image on the node.'),
        type: enumOf(['Disk', 'DiskOrCreate']),
        capacity: quantity(),
        shared: bool(),
      },
      ['path', 'type'],
    ),
    containerDisk: obj(
      {
        image: str('Image holding the disk (one file under /disk/, qcow2 or raw).'),
        path: str('The disk file in the image, if not the one under /disk/.'),
        imagePullPolicy: pullPolicy,
        imagePullSecret: str('Secret in the VMI namespace used to pull the image.'),
      },
      ['image'],
      'An ephemeral disk from a container image: the guest writes to an overlay that goes with the VMI.',
    ),
    emptyDisk: obj({ capacity: quantity('Size of the blank disk.') }, ['capacity'], 'A blank qcow2 disk in the pod, gone with the VMI.'),
    cloudInitNoCloud: cloudInit('NoCloud (label cidata)'),
    cloudInitConfigDrive: cloudInit('ConfigDrive (label config-2)'),
  },
  ['name'],
);

const kernelBoot = obj(
  {
    kernelArgs: str('Kernel command line.'),
    container: obj(
      {
        image: str(),
        kernelPath: str('The kernel in the image (absolute).'),
        initrdPath: str('The initrd in the image (absolute).'),
        imagePullPolicy: pullPolicy,
        imagePullSecret: str(),
      },
      ['image'],
    ),
    hostPath: obj(
      { kernelPath: str('Kernel image on the node (qvirt extension).'), initrdPath: str('Initrd on the node.') },
      ['kernelPath'],
      'qvirt extension: boot a kernel and initrd from the node file system.',
    ),
  },
  undefined,
  'Direct kernel boot.',
);

const toleration = obj({
  key: str(),
  operator: enumOf(['Exists', 'Equal']),
  value: str(),
  effect: enumOf(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  tolerationSeconds: int(),
});

export const vmiSpecSchema: JsonSchema = obj(
  {
    domain: obj(
      {
        resources: obj({ requests: quantityMap(), limits: quantityMap() }),
        cpu: obj({
          cores: int(undefined, { minimum: 1 }),
          sockets: int(undefined, { minimum: 1 }),
          threads: int(undefined, { minimum: 1 }),
          model: str(),
          dedicatedCpuPlacement: bool(),
        }),
        memory: obj({ guest: quantity('Memory the guest sees.') }),
        machine: obj({ type: str('QEMU machine type, e.g. q35.') }),
        firmware: obj({
          uuid: str(),
          serial: str(),
          kernelBoot,
          bootloader: obj({
            bios: obj({}),
            efi: obj({ secureBoot: bool() }),
          }),
        }),
        features: obj({ acpi: obj({ enabled: bool() }) }),
        devices: obj({
          disks: boundedList(disk, 'Disks attached to the guest.', MAX_DEVICES),
          qats: boundedList(deviceEntry('QAT VF'), 'Intel QAT virtual functions passed through (feature gate QAT).', MAX_DEVICES),
          hostDevices: boundedList(deviceEntry('host device'), 'PCI host devices passed through (feature gate HostDevices).', MAX_DEVICES),
          autoattachSerialConsole: bool(),
        }),
      },
      ['devices'],
    ),
    volumes: boundedList(volume, 'Volumes the disks refer to.', MAX_DEVICES),
    nodeSelector: stringMap(),
    affinity: opaque("Pod affinity, copied to the launcher pod (Kubernetes' schema)."),
    tolerations: arr(toleration),
    terminationGracePeriodSeconds: int(undefined, { minimum: 0 }),
    hostname: str(),
    architecture: str("Guest CPU architecture; KubeVirt's mutator sets the cluster's default (amd64). qvirt runs only amd64 guests."),
  },
  ['domain'],
);

const condition = obj(
  {
    type: str(),
    status: enumOf(['True', 'False', 'Unknown']),
    reason: str(),
    message: str(),
    lastProbeTime: { type: 'string', format: 'date-time', nullable: true },
    lastTransitionTime: { type: 'string', format: 'date-time', nullable: true },
  },
  ['type', 'status'],
);

export const vmiStatusSchema: JsonSchema = obj({
  phase: enumOf(VMI_PHASES),
  reason: str(),
  message: str(),
  nodeName: str(),
  conditions: arr(condition),
  phaseTransitionTimestamps: arr(
    obj({ phase: enumOf(VMI_PHASES), phaseTransitionTimestamp: str(undefined, { format: 'date-time' }) }, ['phase', 'phaseTransitionTimestamp']),
  ),
  deviceStatus: obj({
    hostDeviceStatuses: arr(
      obj(
        {
          name: str(),
          deviceName: str(),
          pciAddress: str('The VF or device address on the node, e.g. 0000:3d:01.1.'),
          phase: enumOf(['Pending', 'Allocated', 'Failed']),
          reason: str(),
        },
        ['name', 'deviceName', 'phase'],
      ),
    ),
  }),
  activePods: stringMap('Launcher pod uid -> node.'),
  launcherContainerImageVersion: str(),
});

export const vmSpecSchema: JsonSchema = obj(
  {
    running: bool('Deprecated in KubeVirt in favour of runStrategy; mutually exclusive with it.'),
    runStrategy: enumOf(RUN_STRATEGIES),
    template: obj(
      {
        metadata: obj({ labels: stringMap(), annotations: stringMap() }),
        spec: vmiSpecSchema,
      },
      ['spec'],
    ),
  },
  ['template'],
);

export const vmStatusSchema: JsonSchema = obj({
  created: bool(),
  ready: bool(),
  printableStatus: str(),
  runStrategy: enumOf(RUN_STRATEGIES),
  conditions: arr(condition),
  observedGeneration: int(),
});

export const kubevirtSpecSchema: JsonSchema = obj({
  configuration: obj({
    developerConfiguration: obj({ featureGates: arr(str()) }),
    machineType: str(),
    permittedHostDevices: obj({
      pciHostDevices: arr(
        obj(
          {
            pciVendorSelector: str('vendor:device in hex, e.g. 8086:37c9.', { pattern: '^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$' }),
            resourceName: str(),
            externalResourceProvider: bool(),
          },
          ['pciVendorSelector', 'resourceName'],
        ),
      ),
      mediatedDevices: arr(obj({ mdevNameSelector: str(), resourceName: str(), externalResourceProvider: bool() }, ['mdevNameSelector', 'resourceName'])),
    }),
  }),
});

export const kubevirtStatusSchema: JsonSchema = obj({ phase: str() });
