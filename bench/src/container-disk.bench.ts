// containerDisk on the real node (local stack, ADR 0014): a VMI booting from an image volume
// through a qcow2 overlay, against the same test guest booted from kernel + initrd on the node
// (examples/vmi-plain.yaml), paired in the same rounds; and the launcher's overlay creation
// against copying the same disk file, the cost an image-to-emptyDir copy would add per start.
import { copyFile, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { VirtualMachineInstance } from '@qvirt/api';
import type { KubeClient } from '@qvirt/kube';
import { eventually } from '@qvirt/testing';
import { figure, pairedFigure, percentile, type BenchFigure } from './figure.js';
import { inNamespace } from './node/bench-namespace.js';
import { withStack } from './node/stack-session.js';

const NS = 'bench-containerdisk';
const ROUNDS = 3;
const API = `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances`;
const CONTAINERDISK_IMAGE = 'localhost/qvirt/containerdisk-tiny:1';

interface Timed {
  running: number;
  booted: number;
  uid: string;
}

export async function benchContainerDisk(): Promise<BenchFigure[]> {
  return withStack(async ({ layout, client }) => {
    const plain = parse(await readFile(join(layout.repo, 'examples/vmi-plain.yaml'), 'utf8')) as VirtualMachineInstance;
    const ephemeral = parse(
      (await readFile(join(layout.repo, 'e2e/testdata/kubevirt-examples/vmi-ephemeral.yaml'), 'utf8')).replace(/image: \S+/, `image: ${CONTAINERDISK_IMAGE}`),
    ) as VirtualMachineInstance;
    const running: { value: number; baseline: number }[] = [];
    const booted: { value: number; baseline: number }[] = [];
    const overlayMs: number[] = [];
    const copyMs: number[] = [];
    let diskBytes = 0;
    await inNamespace(client, NS, async () => {
      for (let r = 0; r < ROUNDS; r++) {
        const base = await timeVmi(client, layout.runDir, plain, `kernel-${r}`);
        const cd = await timeVmi(client, layout.runDir, ephemeral, `containerdisk-${r}`);
        running.push({ value: cd.running, baseline: base.running });
        booted.push({ value: cd.booted, baseline: base.booted });
        overlayMs.push(await overlayCreationMs(client, cd.uid));
        // The image's disk file as the launcher sees it, read from the host through its root.
        const disk = await diskThroughLauncher(cd.uid);
        diskBytes = (await stat(disk)).size;
        const copy = join(tmpdir(), `qvirt-bench-disk-copy-${process.pid}`);
        const t0 = performance.now();
        await copyFile(disk, copy);
        copyMs.push(performance.now() - t0);
        await rm(copy, { force: true });
        for (const name of [`kernel-${r}`, `containerdisk-${r}`]) await client.delete(`${API}/${name}`).catch(() => undefined);
      }
    });
    const mib = (diskBytes / 2 ** 20).toFixed(1);
    return [
      pairedFigure(
        'containerDisk VMI: creation to Running',
        running,
        's',
        'baseline: the same guest from kernel + initrd on the node (vmi-plain), same rounds',
      ),
      pairedFigure(
        'containerDisk VMI: creation to the guest marker on the console',
        booted,
        's',
        'baseline: vmi-plain; the containerDisk guest also boots through SeaBIOS + syslinux',
      ),
      figure(
        'containerDisk: overlay creation in the launcher',
        percentile(overlayMs, 50),
        'ms',
        percentile(copyMs, 50),
        `baseline: copying the image's ${mib} MiB disk file instead (median of ${ROUNDS})`,
      ),
    ];
  });
}

async function timeVmi(client: KubeClient, runDir: string, template: VirtualMachineInstance, name: string): Promise<Timed> {
  const vmi = structuredClone(template);
  vmi.metadata = { name, namespace: NS };
  vmi.spec.terminationGracePeriodSeconds = 0;
  const t0 = Date.now();
  const created = await client.create<VirtualMachineInstance>(API, vmi);
  const uid = created.metadata.uid!;
  const runningAt = await eventually(
    `${name} Running`,
    async () => {
      const v = await client.get<VirtualMachineInstance>(`${API}/${name}`);
      if (v.status?.phase === 'Failed') throw new Error(`${name} failed: ${v.status.message ?? ''}`);
      return v.status?.phase === 'Running' ? Date.now() : undefined;
    },
    { timeoutMs: 240_000, intervalMs: 50 },
  );
  const bootedAt = await eventually(
    `${name} marker`,
    async () => ((await readFile(`${runDir}/${uid}/console.log`, 'utf8').catch(() => '')).includes('QVIRT-GUEST-BOOTED') ? Date.now() : undefined),
    { timeoutMs: 240_000, intervalMs: 50 },
  );
  return { running: (runningAt - t0) / 1000, booted: (bootedAt - t0) / 1000, uid };
}

/** The `ms` the launcher logged for its overlay (pod log files on the node, as the kubelet writes them). */
async function overlayCreationMs(client: KubeClient, vmiUid: string): Promise<number> {
  const pods = await client.get<{ items: { metadata: { name: string; uid: string } }[] }>(`/api/v1/namespaces/${NS}/pods`, {
    labelSelector: `kubevirt.io/created-by=${vmiUid}`,
  });
  const pod = pods.items[0]!;
  const log = await readFile(`/var/log/pods/${NS}_${pod.metadata.name}_${pod.metadata.uid}/compute/0.log`, 'utf8');
  const line = log.split('\n').find((l) => l.includes('containerDisk overlay created'));
  const ms = line ? Number(/"ms":(\d+)/.exec(line)?.[1]) : Number.NaN;
  if (!Number.isFinite(ms)) throw new Error(`no overlay creation time in the launcher log of ${pod.metadata.name}`);
  return ms;
}

async function diskThroughLauncher(vmiUid: string): Promise<string> {
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const cmd = (await readFile(`/proc/${e}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (cmd.includes('--vmi-uid') && cmd.includes(vmiUid)) {
      // /var/run is a symlink to /run in the image, and an absolute link under /proc/<pid>/root resolves on the host.
      return `/proc/${e}/root/run/kubevirt-image-volume/disk_0/disk/tiny.qcow2`;
    }
  }
  throw new Error(`no virt-launcher runs for VMI ${vmiUid}`);
}
