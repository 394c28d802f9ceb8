import { describe, expect, it } from 'vitest';
import type { VirtualMachineInstance } from '../types/vmi.js';
import { vmiFixture } from '../testing/fixtures.js';
import { containerDisks, defaultPullPolicy, kernelBootImage, parseContainerDiskOverlays, pathInImage } from './image-volumes.js';

function withVolumes(volumes: unknown): VirtualMachineInstance {
  const vmi = vmiFixture();
  (vmi.spec as { volumes?: unknown }).volumes = volumes;
  return vmi;
}

describe('defaultPullPolicy (KubeVirt setDefaultPullPoliciesOnContainerDisks)', () => {
  it.each([
    ['quay.io/containerdisks/fedora:latest', 'Always'],
    ['quay.io/containerdisks/fedora', 'Always'],
    ['localhost/qvirt/containerdisk-tiny:1', 'IfNotPresent'],
    ['registry:5000/disk', 'IfNotPresent'], // KubeVirt looks for any ':' or '@'
    ['quay.io/x@sha256:0123', 'IfNotPresent'],
  ])('%s -> %s', (image, want) => expect(defaultPullPolicy(image)).toBe(want));
});

describe('containerDisks', () => {
  it('lists containerDisk volumes with their index, pod volume, mount dir and overlay', () => {
    const vmi = withVolumes([
      { name: 'host', hostDisk: { path: '/d.img', type: 'Disk' } },
      { name: 'root', containerDisk: { image: 'localhost/qvirt/containerdisk-tiny:1' } },
      { name: 'data', containerDisk: { image: 'quay.io/d:latest', path: '/custom/d.raw', imagePullPolicy: 'Never', imagePullSecret: 'regcred' } },
    ]);
    expect(containerDisks(vmi)).toEqual([
      {
        volumeName: 'root',
        volumeIndex: 1,
        image: 'localhost/qvirt/containerdisk-tiny:1',
        imagePullPolicy: 'IfNotPresent',
        podVolumeName: 'container-disk-1',
        mountDir: '/var/run/kubevirt-image-volume/disk_1',
        overlayPath: '/var/run/kubevirt-ephemeral-disks/disk-data/root/disk.qcow2',
      },
      {
        volumeName: 'data',
        volumeIndex: 2,
        image: 'quay.io/d:latest',
        imagePullPolicy: 'Never',
        imagePullSecret: 'regcred',
        path: '/custom/d.raw',
        podVolumeName: 'container-disk-2',
        mountDir: '/var/run/kubevirt-image-volume/disk_2',
        overlayPath: '/var/run/kubevirt-ephemeral-disks/disk-data/data/disk.qcow2',
      },
    ]);
  });

  it.each([
    ['no volumes', undefined],
    ['volumes not a list', { a: 1 }],
    ['an entry that is not an object', [null, 'x']],
    ['a containerDisk without an image', [{ name: 'a', containerDisk: {} }]],
    ['a containerDisk with an empty image', [{ name: 'a', containerDisk: { image: '' } }]],
    ['a volume without a name', [{ containerDisk: { image: 'i:1' } }]],
  ])('is total on malformed input: %s -> []', (_, volumes) => expect(containerDisks(withVolumes(volumes))).toEqual([]));

  it('an unknown pull policy falls back to the default (validation refuses it)', () => {
    expect(containerDisks(withVolumes([{ name: 'a', containerDisk: { image: 'i', imagePullPolicy: 'Sometimes' } }]))[0]?.imagePullPolicy).toBe('Always');
  });
});

describe('kernelBootImage', () => {
  it('is absent without kernelBoot.container', () => {
    expect(kernelBootImage(vmiFixture())).toBeUndefined();
  });

  it('gives the image volume and the in-image paths', () => {
    const vmi = vmiFixture();
    vmi.spec.domain.firmware = {
      kernelBoot: { container: { image: 'localhost/qvirt/kernel-boot-tiny:1', kernelPath: '/boot/vmlinuz-virt', initrdPath: '/boot/initramfs-virt' } },
    };
    expect(kernelBootImage(vmi)).toEqual({
      image: 'localhost/qvirt/kernel-boot-tiny:1',
      imagePullPolicy: 'IfNotPresent',
      podVolumeName: 'kernel-boot-volume',
      mountDir: '/var/run/kubevirt-kernel-boot',
      kernelPath: '/boot/vmlinuz-virt',
      initrdPath: '/boot/initramfs-virt',
    });
  });
});

describe('pathInImage', () => {
  it.each([
    ['/boot/vmlinuz', '/m/boot/vmlinuz'],
    ['boot/vmlinuz', '/m/boot/vmlinuz'],
    ['/../../etc/shadow', '/m/etc/shadow'],
    ['/disk/../disk/a.img', '/m/disk/a.img'],
  ])('%s -> %s (never outside the image)', (p, want) => expect(pathInImage('/m', p)).toBe(want));
});

describe('parseContainerDiskOverlays', () => {
  it.each([
    ['not json', 'is not JSON'],
    ['{}', 'must be a JSON list'],
    ['[{"mountDir":"/m","overlayPath":"/o"}]', '[0].volumeName must be a name'],
    ['[{"volumeName":"a","mountDir":"m","overlayPath":"/o"}]', '[0].mountDir must be an absolute path'],
    ['[{"volumeName":"a","mountDir":"/m","path":"rel","overlayPath":"/o"}]', '[0].path must be an absolute path'],
  ])('%s -> %s', (text, message) => expect(() => parseContainerDiskOverlays(text)).toThrow(message));
});
