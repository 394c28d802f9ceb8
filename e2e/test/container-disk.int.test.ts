// KubeVirt's own containerDisk and kernel-boot examples on the local stack (or QVIRT_E2E_KUBECONFIG),
// with only their image names replaced by the local images: each image is a Kubernetes image volume
// of the launcher pod, the guest writes to a qcow2 overlay in the pod's emptyDir (ADR 0014).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualMachineInstance } from '@qvirt/api';
import { eventually } from '@qvirt/testing';
import { parse } from 'yaml';
import type { E2eCluster } from '../src/e2e/cluster.js';
import { qemuProcesses } from '../src/e2e/node-processes.js';
import { closeSuite, openSuite } from '../src/e2e/suite.js';
import { NS, getVmi, launcherPods, vmiPath, waitPhase, waitVmiGone } from '../src/e2e/vmis.js';
import { repoRoot } from '../src/stack/repo-root.js';

/** KubeVirt's demo images -> the local ones built from the test guest. */
const LOCAL_IMAGES: Record<string, string> = {
  'registry:5000/kubevirt/cirros-container-disk-demo:devel': 'localhost/qvirt/containerdisk-tiny:1',
  'registry:5000/kubevirt/alpine-ext-kernel-boot-demo:devel': 'localhost/qvirt/kernel-boot-tiny:1',
};

function kubevirtExample(file: string): VirtualMachineInstance {
  const text = readFileSync(join(repoRoot(), 'e2e/testdata/kubevirt-examples', file), 'utf8').replace(/image: (\S+)/g, (line, image: string) =>
    LOCAL_IMAGES[image] ? `image: ${LOCAL_IMAGES[image]}` : line,
  );
  const vmi = parse(text) as VirtualMachineInstance;
  vmi.metadata.namespace = NS;
  vmi.metadata.labels = { ...vmi.metadata.labels, 'qvirt.io/e2e': 'true' };
  return vmi;
}

let k: E2eCluster;
beforeAll(async () => {
  k = await openSuite();
});
afterAll(async () => {
  await closeSuite(k);
});

async function consoleShowsMarker(uid: string): Promise<void> {
  await eventually(
    'guest boot marker on the console',
    async () => ((await readFile(`${k.local!.runDir}/${uid}/console.log`, 'utf8').catch(() => '')).includes('QVIRT-GUEST-BOOTED') ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 500 },
  );
}

/** The live domain, read from the launcher's own libvirtd (its socket is in the shared run dir). */
function domainXml(uid: string, name: string): string {
  return execFileSync('virsh', ['-c', `qemu+unix:///system?socket=${k.local!.runDir}/${uid}/libvirt-sock`, 'dumpxml', `${NS}_${name}`], { encoding: 'utf8' });
}

async function podUid(vmiUid: string): Promise<string> {
  const pods = (await launcherPods(k.client, vmiUid)) as { metadata: { name: string; uid?: string } }[];
  expect(pods).toHaveLength(1);
  return pods[0]!.metadata.uid!;
}

async function deleteAndCheckNothingLeft(name: string, vmiUid: string, podUidValue: string): Promise<void> {
  await k.client.delete(vmiPath(name));
  await waitVmiGone(k.client, name);
  await eventually('launcher pod gone', async () => ((await launcherPods(k.client, vmiUid)).length === 0 ? true : undefined), { timeoutMs: 90_000 });
  if (!k.local) return;
  expect(qemuProcesses(`${NS}_${name}`)).toEqual([]);
  // The pod's volumes (the overlay's emptyDir, the image mounts) go with it: no overlay or mount is left.
  await eventually('the pod directory removed by the kubelet', async () => (existsSync(`/var/lib/kubelet/pods/${podUidValue}`) ? undefined : true), {
    timeoutMs: 60_000,
  });
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
  expect(mounts).not.toContain(podUidValue);
}

describe("KubeVirt's containerDisk and kernel-boot examples", () => {
  it('vmi-ephemeral: boots from its containerDisk through a qcow2 overlay in the pod; nothing is left after delete', async () => {
    const vmi = kubevirtExample('vmi-ephemeral.yaml');
    await k.client.create(vmiPath(), vmi);
    const running = await waitPhase(k.client, 'vmi-ephemeral', 'Running', 180_000);
    const uid = running.metadata.uid!;
    const pod = await podUid(uid);
    if (k.local) {
      await consoleShowsMarker(uid);
      const xml = domainXml(uid, 'vmi-ephemeral');
      expect(xml).toMatch(/<driver name='qemu' type='qcow2'\/>\s*<source file='\/var\/run\/kubevirt-ephemeral-disks\/disk-data\/containerdisk\/disk.qcow2'/);
      // libvirt reads the overlay's backing chain: the image volume's one disk file, read only.
      expect(xml).toContain("<source file='/var/run/kubevirt-image-volume/disk_0/disk/tiny.qcow2'/>");
      expect(xml).toMatch(/<target dev='vda' bus='virtio'\/>/);
    }
    await deleteAndCheckNothingLeft('vmi-ephemeral', uid, pod);
  }, 400_000);

  it("vmi-sata: a containerDisk volume without a disk gets KubeVirt's default virtio disk", async () => {
    await k.client.create(vmiPath(), kubevirtExample('vmi-sata.yaml'));
    const running = await waitPhase(k.client, 'vmi-sata', 'Running', 180_000);
    expect(running.spec.domain.devices.disks).toEqual([{ name: 'containerdisk', disk: { bus: 'virtio' } }]);
    const uid = running.metadata.uid!;
    const pod = await podUid(uid);
    if (k.local) {
      await consoleShowsMarker(uid);
      expect(domainXml(uid, 'vmi-sata')).toContain("<source file='/var/run/kubevirt-ephemeral-disks/disk-data/containerdisk/disk.qcow2'");
    }
    await deleteAndCheckNothingLeft('vmi-sata', uid, pod);
  }, 400_000);

  it('vmi-kernel-boot: boots the kernel and initrd of its kernelBoot.container image', async () => {
    await k.client.create(vmiPath(), kubevirtExample('vmi-kernel-boot.yaml'));
    const running = await waitPhase(k.client, 'vmi-kernel-boot', 'Running', 180_000);
    const uid = running.metadata.uid!;
    const pod = await podUid(uid);
    if (k.local) {
      await consoleShowsMarker(uid);
      const xml = domainXml(uid, 'vmi-kernel-boot');
      expect(xml).toContain('<kernel>/var/run/kubevirt-kernel-boot/boot/vmlinuz-virt</kernel>');
      expect(xml).toContain('<initrd>/var/run/kubevirt-kernel-boot/boot/initramfs-virt</initrd>');
      expect(xml).toContain('<cmdline>console=ttyS0</cmdline>');
    }
    await deleteAndCheckNothingLeft('vmi-kernel-boot', uid, pod);
  }, 400_000);

  it('an image without a disk under /disk/ fails the VMI with the reason, and leaks nothing', async () => {
    const vmi = kubevirtExample('vmi-ephemeral.yaml');
    vmi.metadata.name = 'no-disk';
    vmi.spec.volumes![0]!.containerDisk!.image = 'localhost/qvirt/busybox:1';
    await k.client.create(vmiPath(), vmi);
    const failed = await eventually(
      'no-disk Failed',
      async () => {
        const v = await getVmi(k.client, 'no-disk');
        return v?.status?.phase === 'Failed' ? v : undefined;
      },
      { timeoutMs: 180_000 },
    );
    expect(failed.status?.message).toContain('containerDisk volume "containerdisk": failed to check default image path /disk');
    await k.client.delete(vmiPath('no-disk'));
    await waitVmiGone(k.client, 'no-disk');
    await eventually('launcher pod gone', async () => ((await launcherPods(k.client, failed.metadata.uid!)).length === 0 ? true : undefined), {
      timeoutMs: 90_000,
    });
  }, 400_000);
});
