import { describe, expect, it } from 'vitest';
import { CONTAINER_DISKS_ENV, EMPTY_DISKS_ENV, HOST_DISKS_ENV, parseContainerDiskOverlays, parseSizedDisks } from '@qvirt/api';
import { CLOUD_INIT_ENV, parseCloudInitDisk } from '@qvirt/domain';
import { inputsFixture, vmiFixture } from '../testing/fixtures.js';
import { renderLauncherPod } from './launcher-pod.renderer.js';

function containerDiskVmi() {
  const vmi = vmiFixture();
  vmi.spec.domain.devices.disks = [{ name: 'root', disk: { bus: 'virtio' } }];
  vmi.spec.volumes = [
    { name: 'root', containerDisk: { image: 'localhost/qvirt/containerdisk-tiny:1', imagePullSecret: 'regcred' } },
    { name: 'data', containerDisk: { image: 'quay.io/d', path: '/other/d.raw', imagePullSecret: 'regcred' } },
  ];
  vmi.spec.domain.firmware = {
    kernelBoot: { container: { image: 'localhost/qvirt/kernel-boot-tiny:1', kernelPath: '/boot/vmlinuz-virt', imagePullSecret: 'kb' } },
  };
  return vmi;
}

describe('renderLauncherPod: containerDisks and kernelBoot.container as image volumes (ADR 0014)', () => {
  it('mounts each image read only where KubeVirt mounts image volumes, with its pull policy', () => {
    const pod = renderLauncherPod(containerDiskVmi(), inputsFixture());
    const volumes = pod.spec!.volumes!;
    expect(volumes).toContainEqual({ name: 'container-disk-0', image: { reference: 'localhost/qvirt/containerdisk-tiny:1', pullPolicy: 'IfNotPresent' } });
    expect(volumes).toContainEqual({ name: 'container-disk-1', image: { reference: 'quay.io/d', pullPolicy: 'Always' } });
    expect(volumes).toContainEqual({ name: 'kernel-boot-volume', image: { reference: 'localhost/qvirt/kernel-boot-tiny:1', pullPolicy: 'IfNotPresent' } });
    expect(volumes).toContainEqual({ name: 'ephemeral-disks', emptyDir: {} });
    const mounts = pod.spec!.containers[0]!.volumeMounts!;
    expect(mounts).toContainEqual({ name: 'container-disk-0', mountPath: '/var/run/kubevirt-image-volume/disk_0', readOnly: true });
    expect(mounts).toContainEqual({ name: 'container-disk-1', mountPath: '/var/run/kubevirt-image-volume/disk_1', readOnly: true });
    expect(mounts).toContainEqual({ name: 'kernel-boot-volume', mountPath: '/var/run/kubevirt-kernel-boot', readOnly: true });
    expect(mounts).toContainEqual({ name: 'ephemeral-disks', mountPath: '/var/run/kubevirt-ephemeral-disks' });
  });

  it('adds each pull secret once', () => {
    expect(renderLauncherPod(containerDiskVmi(), inputsFixture()).spec!.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'kb' }]);
  });

  it('tells the launcher which overlays to make, in a form it reads back', () => {
    const env = renderLauncherPod(containerDiskVmi(), inputsFixture()).spec!.containers[0]!.env!;
    const value = env.find((e) => e.name === CONTAINER_DISKS_ENV)?.value;
    expect(parseContainerDiskOverlays(value!)).toEqual([
      { volumeName: 'root', mountDir: '/var/run/kubevirt-image-volume/disk_0', overlayPath: '/var/run/kubevirt-ephemeral-disks/disk-data/root/disk.qcow2' },
      {
        volumeName: 'data',
        mountDir: '/var/run/kubevirt-image-volume/disk_1',
        path: '/other/d.raw',
        overlayPath: '/var/run/kubevirt-ephemeral-disks/disk-data/data/disk.qcow2',
      },
    ]);
  });

  it('a VMI without images gets no image volume, emptyDir, pull secret or overlay env', () => {
    const pod = renderLauncherPod(vmiFixture(), inputsFixture());
    expect(pod.spec!.volumes!.filter((v) => v.image || v.emptyDir)).toEqual([]);
    expect(pod.spec!.imagePullSecrets).toBeUndefined();
    expect(pod.spec!.containers[0]!.env!.some((e) => e.name === CONTAINER_DISKS_ENV)).toBe(false);
  });
});

describe('renderLauncherPod: cloud-init', () => {
  it('hands the launcher the cloud-init files to write as an ISO in the emptyDir', () => {
    const vmi = vmiFixture();
    vmi.spec.volumes = [{ name: 'cloudinitdisk', cloudInitNoCloud: { userData: '#cloud-config\n' } }];
    const pod = renderLauncherPod(vmi, inputsFixture());
    expect(pod.spec!.volumes).toContainEqual({ name: 'ephemeral-disks', emptyDir: {} });
    const value = pod.spec!.containers[0]!.env!.find((e) => e.name === CLOUD_INIT_ENV)?.value;
    expect(parseCloudInitDisk(value!)).toMatchObject({ volumeName: 'cloudinitdisk', label: 'cidata', files: { 'user-data': '#cloud-config\n' } });
  });
});

describe('renderLauncherPod: emptyDisks', () => {
  it('lists them for the launcher, with the emptyDir they go in', () => {
    const vmi = vmiFixture();
    vmi.spec.volumes = [{ name: 'emptydisk', emptyDisk: { capacity: '2Gi' } }];
    const pod = renderLauncherPod(vmi, inputsFixture());
    expect(pod.spec!.volumes).toContainEqual({ name: 'ephemeral-disks', emptyDir: {} });
    const value = pod.spec!.containers[0]!.env!.find((e) => e.name === EMPTY_DISKS_ENV)?.value;
    expect(parseSizedDisks(EMPTY_DISKS_ENV, value!)).toEqual([
      { volumeName: 'emptydisk', path: '/var/run/kubevirt-ephemeral-disks/empty-disks/emptydisk.qcow2', capacityBytes: 2 * 2 ** 30 },
    ]);
  });
});

describe('renderLauncherPod: DiskOrCreate hostDisks', () => {
  it('lists them for the launcher to size, beside the hostPath the kubelet creates', () => {
    const vmi = vmiFixture();
    vmi.spec.volumes = [
      { name: 'host-disk', hostDisk: { path: '/var/data/disk.img', type: 'DiskOrCreate', capacity: '1Gi' } },
      { name: 'second', hostDisk: { path: '/var/data/disk2.img', type: 'DiskOrCreate', capacity: '1Gi' } },
    ];
    const pod = renderLauncherPod(vmi, inputsFixture());
    // Its directory, once for both disks in it, as KubeVirt mounts it (the kubelet makes no file in a missing directory).
    expect(pod.spec!.volumes!.filter((v) => v.hostPath?.path.startsWith('/var/data'))).toEqual([
      { name: 'hostdisk-host-disk', hostPath: { path: '/var/data', type: 'DirectoryOrCreate' } },
    ]);
    expect(pod.spec!.containers[0]!.volumeMounts).toContainEqual({ name: 'hostdisk-host-disk', mountPath: '/var/data', readOnly: false });
    const value = pod.spec!.containers[0]!.env!.find((e) => e.name === HOST_DISKS_ENV)?.value;
    expect(parseSizedDisks(HOST_DISKS_ENV, value!).map((d) => d.path)).toEqual(['/var/data/disk.img', '/var/data/disk2.img']);
  });
});
