import type { VirtualMachineInstance } from '@qvirt/api';
import type { DeviceAssignment } from '../device-assignment.js';
import type { HostdevModel } from '../domain-model.js';
import { DomainRenderError } from '../errors.js';
import { parsePciAddress } from '../pci-address.js';
import type { DomainConfigurator } from './configurator.js';

// Device names become libvirt user aliases (`ua-` + [A-Za-z0-9_-]): QAT names are DNS labels (the
// API contract), host device names anything the alias holds (KubeVirt puts no rule on them).
const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ALIAS_NAME_RE = /^[A-Za-z0-9_-]+$/;

const KINDS = [
  { kind: 'qat', list: 'qats', alias: 'ua-qat-' },
  { kind: 'hostDevice', list: 'hostDevices', alias: 'ua-hostdevice-' },
] as const;

/**
 * QAT VFs and host devices as unmanaged PCI hostdevs: the device plugin already bound them to
 * vfio-pci, and the launcher pod may not rebind drivers (managed='no', as KubeVirt).
 */
export const hostdevConfigurator: DomainConfigurator = {
  name: 'hostdev',
  configure(vmi, domain, { assignments }) {
    const byKey = new Map<string, DeviceAssignment>();
    for (const a of assignments) byKey.set(`${a.kind}/${a.name}`, a);

    // Check every name first, so a bad spec is reported as such rather than as a missing address.
    const lists = KINDS.map((k) => ({ ...k, devices: specDevices(vmi, k.list) }));
    for (const { list, devices } of lists) {
      const names = new Set<string>();
      devices.forEach((device, i) => {
        const field = `spec.domain.devices.${list}[${i}].name`;
        if (list === 'qats' && (typeof device.name !== 'string' || device.name.length > 63 || !DNS_LABEL_RE.test(device.name))) {
          throw new DomainRenderError(field, `${JSON.stringify(device.name ?? null)} is not a DNS label (lower-case letters, digits, '-')`);
        }
        if (list === 'hostDevices' && (typeof device.name !== 'string' || !ALIAS_NAME_RE.test(device.name))) {
          throw new DomainRenderError(field, `${JSON.stringify(device.name ?? null)} cannot be a libvirt alias: use letters, digits, '_' or '-'`);
        }
        if (names.has(device.name)) throw new DomainRenderError(field, `"${device.name}" is used by another entry of ${list}`);
        names.add(device.name);
      });
    }

    const hostdevs: HostdevModel[] = [];
    for (const { kind, list, alias, devices } of lists) {
      devices.forEach((device, i) => {
        const field = `spec.domain.devices.${list}[${i}]`;
        const assigned = byKey.get(`${kind}/${device.name}`);
        if (!assigned) {
          throw new DomainRenderError(field, `no PCI address assigned to "${device.name}" (resource ${device.deviceName})`);
        }
        const source = parsePciAddress(assigned.address);
        if (!source) throw new DomainRenderError(field, `assigned address ${JSON.stringify(assigned.address)} is not a PCI address`);
        hostdevs.push({ source, alias: `${alias}${device.name}` });
      });
    }
    domain.devices.hostdevs = hostdevs;
  },
};

function specDevices(vmi: VirtualMachineInstance, list: 'qats' | 'hostDevices'): { name: string; deviceName: string }[] {
  const devices = vmi.spec?.domain?.devices?.[list];
  if (devices === undefined || devices === null) return [];
  if (!Array.isArray(devices)) throw new DomainRenderError(`spec.domain.devices.${list}`, 'must be a list');
  return devices;
}
