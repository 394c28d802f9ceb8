import type { StatusCause } from '@qvirt/api';
import { child } from '../field-path.js';
import type { SpecRule } from '../spec-view.js';

/**
 * Fields that KubeVirt's API has and qvirt's schema admits, but qvirt does not act on yet. A
 * field that is admitted is honoured, so each is refused with the reason, instead of a VM that
 * quietly runs without it.
 */
export const validateUnhonouredFields: SpecRule = (fieldPath, spec) => {
  const causes: StatusCause[] = [];
  const refuse = (path: string, why: string) => {
    const field = child(fieldPath, path);
    causes.push({ type: 'FieldValueNotSupported', field, message: `${field}: not supported by qvirt: ${why}` });
  };
  if (spec.domain?.cpu?.dedicatedCpuPlacement === true) {
    refuse('domain.cpu.dedicatedCpuPlacement', 'launcher pods get no dedicated CPUs (no CPU manager static policy, no vCPU pinning); leave it unset or false');
  }
  if (spec.domain?.firmware?.serial !== undefined) {
    refuse('domain.firmware.serial', 'the guest gets no SMBIOS serial number; leave it unset');
  }
  const cloudInit = (spec.volumes ?? []).some((v) => v.cloudInitNoCloud != null || v.cloudInitConfigDrive != null);
  if (spec.hostname !== undefined && !cloudInit) {
    refuse(
      'hostname',
      'only a cloud-init disk passes a hostname to the guest yet (no DHCP): add a cloudInitNoCloud or cloudInitConfigDrive volume, or leave it unset',
    );
  }
  if (spec.domain?.firmware?.bootloader?.efi !== undefined) {
    refuse('domain.firmware.bootloader.efi', 'guests boot with BIOS only (no OVMF firmware yet); use bootloader.bios or leave bootloader unset');
  }
  return causes;
};
