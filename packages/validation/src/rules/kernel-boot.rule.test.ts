import { describe, expect, it } from 'vitest';
import { gatesOn } from '../testing/fixtures.js';
import { validateKernelBoot } from './kernel-boot.rule.js';

type KernelBootView = {
  container?: { image?: string; kernelPath?: string; initrdPath?: string };
  hostPath?: { kernelPath?: string; initrdPath?: string };
  kernelArgs?: string;
};
const spec = (kernelBoot: KernelBootView) => ({ domain: { firmware: { kernelBoot } } });
const kb = 'spec.domain.firmware.kernelBoot';

describe('validateKernelBoot', () => {
  it('accepts a hostPath kernel with an absolute kernel and initrd', () => {
    expect(validateKernelBoot('spec', spec({ hostPath: { kernelPath: '/boot/vmlinuz', initrdPath: '/boot/initrd.img' } }), gatesOn())).toEqual([]);
  });

  it('wants absolute paths without relative components, not /', () => {
    expect(validateKernelBoot('spec', spec({ hostPath: { kernelPath: 'boot/vmlinuz', initrdPath: '/boot/../initrd' } }), gatesOn())).toEqual([
      {
        type: 'FieldValueInvalid',
        field: `${kb}.hostPath.kernelPath`,
        message: `${kb}.hostPath.kernelPath must be an absolute path to a file without relative components`,
      },
      {
        type: 'FieldValueInvalid',
        field: `${kb}.hostPath.initrdPath`,
        message: `${kb}.hostPath.initrdPath must be an absolute path to a file without relative components`,
      },
    ]);
    expect(validateKernelBoot('spec', spec({ hostPath: { kernelPath: '/' } }), gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: `${kb}.hostPath.kernelPath`, message: `${kb}.hostPath.kernelPath must not point to root` },
    ]);
    expect(validateKernelBoot('spec', spec({ hostPath: { kernelPath: '' } }), gatesOn())).toEqual([
      { type: 'FieldValueRequired', field: `${kb}.hostPath.kernelPath`, message: `${kb}.hostPath.kernelPath: Required value` },
    ]);
  });

  it('wants exactly one of container and hostPath', () => {
    expect(validateKernelBoot('spec', spec({ kernelArgs: 'quiet' }), gatesOn())).toEqual([
      { type: 'FieldValueRequired', field: kb, message: `${kb} must have exactly one of container or hostPath` },
    ]);
    expect(validateKernelBoot('spec.template.spec', spec({ container: { image: 'i', kernelPath: '/k' }, hostPath: { kernelPath: '/k' } }), gatesOn())).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.template.spec.domain.firmware.kernelBoot',
        message: 'spec.template.spec.domain.firmware.kernelBoot must have exactly one of container or hostPath, not both',
      },
    ]);
  });

  it("wants a container to name a kernel or an initrd (KubeVirt's message)", () => {
    expect(validateKernelBoot('spec', spec({ container: { image: 'quay.io/k' } }), gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: `${kb}.container`, message: 'must be defined with at least one of the following: kernelPath, initrdPath' },
    ]);
    expect(validateKernelBoot('spec', spec({ container: { image: 'quay.io/k', initrdPath: 'initrd' } }), gatesOn())).toEqual([
      {
        type: 'FieldValueRequired',
        field: `${kb}.container.kernelPath`,
        message: `${kb}.container.kernelPath is required: qvirt boots the kernel of the image, and an initrd alone cannot boot`,
      },
      {
        type: 'FieldValueInvalid',
        field: `${kb}.container.initrdPath`,
        message: `${kb}.container.initrdPath must be an absolute path to a file without relative components`,
      },
    ]);
  });

  it('admits a container with a kernel, and an initrd beside it', () => {
    expect(
      validateKernelBoot('spec', spec({ container: { image: 'k:1', kernelPath: '/boot/vmlinuz-virt', initrdPath: '/boot/initramfs-virt' } }), gatesOn()),
    ).toEqual([]);
  });
});
