import { DEFAULT_MACHINE_TYPE, kernelBootImage, pathInImage } from '@qvirt/api';
import { DomainRenderError } from '../errors.js';
import type { OsModel } from '../domain-model.js';
import type { DomainConfigurator } from './configurator.js';

const MACHINE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const KERNEL_BOOT = 'spec.domain.firmware.kernelBoot';

/**
 * `<os>`: x86_64 hvm with the machine type (q35 by default), and direct kernel boot from files
 * in a container image (kernelBoot.container, mounted in the launcher pod) or on the node
 * (kernelBoot.hostPath, qvirt's extension).
 */
export const osConfigurator: DomainConfigurator = {
  name: 'os',
  configure(vmi, domain) {
    const spec = vmi.spec?.domain;
    const machine = spec?.machine?.type || DEFAULT_MACHINE_TYPE;
    if (typeof machine !== 'string' || !MACHINE_RE.test(machine)) {
      throw new DomainRenderError('spec.domain.machine.type', `${JSON.stringify(machine)} is not a machine type (e.g. q35)`);
    }
    const os: OsModel = { arch: 'x86_64', machine };

    const firmware = spec?.firmware;
    if (firmware?.bootloader?.efi !== undefined) {
      throw new DomainRenderError('spec.domain.firmware.bootloader.efi', 'EFI boot is not supported by qvirt; use BIOS or kernelBoot.hostPath');
    }
    const kernelBoot = firmware?.kernelBoot;
    if (kernelBoot?.hostPath) {
      os.kernel = absolutePath(kernelBoot.hostPath.kernelPath, `${KERNEL_BOOT}.hostPath.kernelPath`);
      if (kernelBoot.hostPath.initrdPath !== undefined && kernelBoot.hostPath.initrdPath !== '') {
        os.initrd = absolutePath(kernelBoot.hostPath.initrdPath, `${KERNEL_BOOT}.hostPath.initrdPath`);
      }
    } else if (kernelBoot?.container) {
      // The image is an image volume of the launcher pod (ADR 0014): its files at their in-image paths under the mount.
      const image = kernelBootImage(vmi);
      if (image === undefined) throw new DomainRenderError(`${KERNEL_BOOT}.container.image`, 'is required');
      if (image.kernelPath === undefined) {
        throw new DomainRenderError(`${KERNEL_BOOT}.container.kernelPath`, 'is required: the kernel in the image (absolute path)');
      }
      os.kernel = pathInImage(image.mountDir, absolutePath(image.kernelPath, `${KERNEL_BOOT}.container.kernelPath`));
      if (image.initrdPath !== undefined) os.initrd = pathInImage(image.mountDir, absolutePath(image.initrdPath, `${KERNEL_BOOT}.container.initrdPath`));
    }
    if (kernelBoot?.kernelArgs !== undefined && kernelBoot.kernelArgs !== '') {
      if (os.kernel === undefined) {
        throw new DomainRenderError(
          `${KERNEL_BOOT}.kernelArgs`,
          'kernel arguments need a kernel: set kernelBoot.container.kernelPath or kernelBoot.hostPath.kernelPath',
        );
      }
      if (typeof kernelBoot.kernelArgs !== 'string') {
        throw new DomainRenderError(`${KERNEL_BOOT}.kernelArgs`, 'must be a string');
      }
      os.cmdline = kernelBoot.kernelArgs;
    }

    // libvirt refuses <boot dev> together with per-device boot order.
    const perDiskOrder = (spec?.devices?.disks ?? []).some((d) => d.bootOrder !== undefined);
    if (os.kernel === undefined && !perDiskOrder) os.bootDev = 'hd';
    domain.os = os;
  },
};

function absolutePath(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value.startsWith('/')) {
    throw new DomainRenderError(field, `${JSON.stringify(value ?? null)} is not an absolute path`);
  }
  return value;
}
