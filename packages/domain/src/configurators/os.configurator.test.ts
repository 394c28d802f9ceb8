import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { osConfigurator } from './os.configurator.js';

const ctx = { assignments: [], facts: { kvm: false } };
const configure = (vmi = plainVmi()) => {
  const d = emptyDomain();
  osConfigurator.configure(vmi, d, ctx);
  return d.os;
};

describe('osConfigurator', () => {
  it('boots the kernel from hostPath on q35 by default', () => {
    expect(configure()).toEqual({
      arch: 'x86_64',
      machine: 'q35',
      kernel: '/var/lib/qvirt/images/qvirt-test-guest/vmlinuz',
      initrd: '/var/lib/qvirt/images/qvirt-test-guest/initrd.img',
      cmdline: 'console=ttyS0 quiet',
    });
  });

  it('uses the spec machine type and boots from disk without a kernel', () => {
    expect(configure(plainVmi({ machine: { type: 'pc-q35-7.2' }, firmware: {} }))).toEqual({ arch: 'x86_64', machine: 'pc-q35-7.2', bootDev: 'hd' });
    const ordered = plainVmi({ firmware: {}, devices: { disks: [{ name: 'root', bootOrder: 1 }] } });
    expect(configure(ordered).bootDev).toBeUndefined();
  });

  it('boots the kernel and initrd of a kernelBoot.container image where the launcher pod mounts it', () => {
    const os = configure(
      plainVmi({
        firmware: {
          kernelBoot: {
            kernelArgs: 'console=ttyS0',
            container: { image: 'localhost/qvirt/kernel-boot-tiny:1', kernelPath: '/boot/vmlinuz-virt', initrdPath: '/boot/initramfs-virt' },
          },
        },
      }),
    );
    expect(os).toMatchObject({
      kernel: '/var/run/kubevirt-kernel-boot/boot/vmlinuz-virt',
      initrd: '/var/run/kubevirt-kernel-boot/boot/initramfs-virt',
      cmdline: 'console=ttyS0',
    });
    expect(os.bootDev).toBeUndefined();
  });

  it('refuses a kernelBoot.container without a kernel, EFI, relative paths and args without a kernel', () => {
    expect(() => configure(plainVmi({ firmware: { kernelBoot: { container: { image: 'quay.io/k:1', initrdPath: '/i' } } } }))).toThrow(
      'spec.domain.firmware.kernelBoot.container.kernelPath: is required',
    );
    expect(() => configure(plainVmi({ firmware: { kernelBoot: { container: { image: 'quay.io/k:1', kernelPath: 'boot/k' } } } }))).toThrow(
      'spec.domain.firmware.kernelBoot.container.kernelPath: "boot/k" is not an absolute path',
    );
    expect(() => configure(plainVmi({ firmware: { bootloader: { efi: {} } } }))).toThrow('spec.domain.firmware.bootloader.efi');
    expect(() => configure(plainVmi({ firmware: { kernelBoot: { hostPath: { kernelPath: 'vmlinuz' } } } }))).toThrow(
      'spec.domain.firmware.kernelBoot.hostPath.kernelPath: "vmlinuz" is not an absolute path',
    );
    expect(() => configure(plainVmi({ firmware: { kernelBoot: { kernelArgs: 'quiet' } } }))).toThrow(
      'spec.domain.firmware.kernelBoot.kernelArgs: kernel arguments need a kernel',
    );
    expect(() => configure(plainVmi({ machine: { type: 'q35; rm' } }))).toThrow('spec.domain.machine.type');
  });
});
