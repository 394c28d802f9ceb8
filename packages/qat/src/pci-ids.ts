// QAT PCI IDs (vendor 0x8086), from the Linux kernel's QAT driver headers
// (the table in docs/qat-host-setup.md, "Know your generation"). One row per generation; PF and VF IDs are lower-case hex
// without the 0x prefix, exactly as sysfs prints them after "0x".

export const INTEL_VENDOR_ID = '8086';

export type QatGeneration = 'dh895xcc' | 'c62x' | 'c3xxx' | 'c4xxx' | 'd15xx' | '4xxx' | '401xx' | '402xx' | '420xx' | '6xxx';

export interface QatGenerationInfo {
  readonly generation: QatGeneration;
  readonly pfDevice: string;
  /** Usually one ID; DH895xCC VFs have also been seen as 0x0442. */
  readonly vfDevices: readonly string[];
  readonly pfDriver: string;
  readonly vfDriver: string;
  /** Gen4 and later expose `qat/cfg_services` and `qat/state` on the PF. */
  readonly configurableServices: boolean;
}

export const QAT_GENERATIONS: readonly QatGenerationInfo[] = [
  { generation: 'dh895xcc', pfDevice: '0435', vfDevices: ['0443', '0442'], pfDriver: 'dh895xcc', vfDriver: 'dh895xccvf', configurableServices: false },
  { generation: 'c62x', pfDevice: '37c8', vfDevices: ['37c9'], pfDriver: 'c6xx', vfDriver: 'c6xxvf', configurableServices: false },
  { generation: 'c3xxx', pfDevice: '19e2', vfDevices: ['19e3'], pfDriver: 'c3xxx', vfDriver: 'c3xxxvf', configurableServices: false },
  { generation: 'c4xxx', pfDevice: '18a0', vfDevices: ['18a1'], pfDriver: 'c4xxx', vfDriver: 'c4xxxvf', configurableServices: false },
  { generation: 'd15xx', pfDevice: '6f54', vfDevices: ['6f55'], pfDriver: 'd15xx', vfDriver: 'd15xxvf', configurableServices: false },
  { generation: '4xxx', pfDevice: '4940', vfDevices: ['4941'], pfDriver: '4xxx', vfDriver: '4xxxvf', configurableServices: true },
  { generation: '401xx', pfDevice: '4942', vfDevices: ['4943'], pfDriver: '4xxx', vfDriver: '4xxxvf', configurableServices: true },
  { generation: '402xx', pfDevice: '4944', vfDevices: ['4945'], pfDriver: '4xxx', vfDriver: '4xxxvf', configurableServices: true },
  { generation: '420xx', pfDevice: '4946', vfDevices: ['4947'], pfDriver: '420xx', vfDriver: '420xxvf', configurableServices: true },
  { generation: '6xxx', pfDevice: '4948', vfDevices: ['4949'], pfDriver: '6xxx', vfDriver: '6xxxvf', configurableServices: true },
];

export type QatFunctionKind = 'pf' | 'vf';

export interface QatDeviceMatch {
  readonly kind: QatFunctionKind;
  readonly info: QatGenerationInfo;
}

/** Normalises `0x37C9`, `37c9`, `8086:37C9`-style inputs to `37c9`. */
export function normalizeHexId(raw: string): string {
  return raw.trim().toLowerCase().replace(/^0x/, '');
}

/** Classifies a PCI function by vendor/device ID; undefined when it is not QAT. */
export function matchQatDevice(vendor: string, device: string): QatDeviceMatch | undefined {
  if (normalizeHexId(vendor) !== INTEL_VENDOR_ID) return undefined;
  const id = normalizeHexId(device);
  for (const info of QAT_GENERATIONS) {
    if (info.pfDevice === id) return { kind: 'pf', info };
    if (info.vfDevices.includes(id)) return { kind: 'vf', info };
  }
  return undefined;
}

export function generationInfo(generation: QatGeneration): QatGenerationInfo {
  const info = QAT_GENERATIONS.find((g) => g.generation === generation);
  if (!info) throw new Error(`unknown QAT generation ${generation}`);
  return info;
}

export const VFIO_PCI_DRIVER = 'vfio-pci';
