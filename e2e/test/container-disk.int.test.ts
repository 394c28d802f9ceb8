// KubeVirt's own containerDisk, cloud-init, emptyDisk and kernel-boot examples on the local stack (or QVIRT_E2E_KUBECONFIG),
// with only their image names replaced by the local images: each image is a Kubernetes image volume
// of the launcher pod, the guest writes to a qcow2 overlay in the pod's emptyDir (ADR 0014).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualMachineInstance } from '@qvirt/api';
import { eventually } from '@qvirt/testing';
import { parse } from 'yaml';
import type { E2eCluster } from '../src/e2e/cluster.js';
import { qemuProcesses } from '../src/e2e/node-processes.js';
import { closeSuite, openSuite } from '../src/e2e/suite.js';
import { NS, launcherPods, vmiPath, waitPhase, waitVmiGone } from '../src/e2e/vmis.js';
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

/** The host pid of a VMI's virt-launcher (the compute container's process). */
function launcherPid(vmiUid: string): number {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const args = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (args.includes('--vmi-uid') && args.includes(vmiUid)) return Number(e);
    } catch {
      // gone
    }
  }
  throw new Error(`no virt-launcher runs for VMI ${vmiUid}`);
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

describe("KubeVirt's containerDisk, cloud-init and kernel-boot examples", () => {
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

  it('vmi-nocloud: a containerDisk, a NoCloud cloud-init disk (label cidata, its user-data) and a 2Gi emptyDisk', async () => {
    const vmi = kubevirtExample('vmi-nocloud.yaml');
    await k.client.create(vmiPath(), vmi);
    const running = await waitPhase(k.client, 'vmi-nocloud', 'Running', 180_000);
    const uid = running.metadata.uid!;
    const pod = await podUid(uid);
    if (k.local) {
      await consoleShowsMarker(uid);
      const xml = domainXml(uid, 'vmi-nocloud');
      expect(xml).toContain(`<source file='/var/run/kubevirt-ephemeral-disks/cloud-init-data/${NS}/vmi-nocloud/noCloud.iso'`);
      expect(xml).toContain("<source file='/var/run/kubevirt-ephemeral-disks/empty-disks/emptydisk.qcow2'");
      expect([...xml.matchAll(/<target dev='(vd[a-z])' bus='virtio'\/>/g)].map((m) => m[1])).toEqual(['vda', 'vdb', 'vdc']);
      // The ISO and the blank disk as the launcher wrote them, read from the node through its root
      // (/var/run is a link to /run in the image).
      const root = `/proc/${launcherPid(uid)}/root/run/kubevirt-ephemeral-disks`;
      const iso = `${root}/cloud-init-data/${NS}/vmi-nocloud/noCloud.iso`;
      expect(execFileSync('xorriso', ['-indev', iso, '-pvd_info'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).toMatch(
        /Volume Id\s*:\s*cidata/,
      );
      const userData = join(tmpdir(), `qvirt-e2e-user-data-${process.pid}`);
      execFileSync('xorriso', ['-indev', iso, '-osirrox', 'on', '-extract', '/user-data', userData], { stdio: 'ignore' });
      expect(readFileSync(userData, 'utf8')).toBe(vmi.spec.volumes![1]!.cloudInitNoCloud!.userData);
      const meta = join(tmpdir(), `qvirt-e2e-meta-data-${process.pid}`);
      execFileSync('xorriso', ['-indev', iso, '-osirrox', 'on', '-extract', '/meta-data', meta], { stdio: 'ignore' });
      expect(JSON.parse(readFileSync(meta, 'utf8'))).toEqual({ 'instance-id': expect.stringMatching(/^[0-9a-f-]{36}$/), 'local-hostname': 'vmi-nocloud' });
      const empty = JSON.parse(
        execFileSync('qemu-img', ['info', '-U', '--output=json', `${root}/empty-disks/emptydisk.qcow2`], { encoding: 'utf8' }),
      ) as Record<string, unknown>;
      expect(empty).toMatchObject({ format: 'qcow2', 'virtual-size': 2 * 2 ** 30 });
    }
    await deleteAndCheckNothingLeft('vmi-nocloud', uid, pod);
  }, 400_000);

  it('vmi-host-disk: a DiskOrCreate hostDisk is created on the node with its capacity (sparse), and kept after delete as KubeVirt keeps it', async () => {
    const vmi = kubevirtExample('vmi-host-disk.yaml');
    const path = vmi.spec.volumes![0]!.hostDisk!.path;
    if (k.local) rmSync(path, { force: true });
    try {
      await k.client.create(vmiPath(), vmi);
      const running = await waitPhase(k.client, 'vmi-host-disk', 'Running', 180_000);
      const uid = running.metadata.uid!;
      const pod = await podUid(uid);
      if (k.local) {
        expect(domainXml(uid, 'vmi-host-disk')).toMatch(new RegExp(`<driver name='qemu' type='raw'/>\\s*<source file='${path}'`));
        expect(statSync(path).size).toBe(2 ** 30);
        expect(statSync(path).blocks * 512).toBeLessThan(2 ** 20); // sparse: nothing written yet
      }
      await deleteAndCheckNothingLeft('vmi-host-disk', uid, pod);
      if (k.local) expect(statSync(path).size).toBe(2 ** 30);
    } finally {
      if (k.local) rmSync(path, { force: true });
    }
  }, 400_000);

  it('an image without a disk under /disk/ fails the VMI with the reason, and leaks nothing', async () => {
    const vmi = kubevirtExample('vmi-ephemeral.yaml');
    vmi.metadata.name = 'no-disk';
    vmi.spec.volumes![0]!.containerDisk!.image = 'localhost/qvirt/busybox:1';
    await k.client.create(vmiPath(), vmi);
    const failed = await waitPhase(k.client, 'no-disk', 'Failed', 180_000);
    expect(failed.status?.message).toContain('containerDisk volume "containerdisk": failed to check default image path /disk');
    await k.client.delete(vmiPath('no-disk'));
    await waitVmiGone(k.client, 'no-disk');
    await eventually('launcher pod gone', async () => ((await launcherPods(k.client, failed.metadata.uid!)).length === 0 ? true : undefined), {
      timeoutMs: 90_000,
    });
  }, 400_000);
});
