// The launcher pod on the real node (local stack): how long from pod creation to its container
// running, against a plain busybox pod on the same node in the same rounds; and its memory as the
// kubelet sees it (the pod cgroup's working set), less guest memory, against KubeVirt's overhead
// formula for the same VMI (pkg/virt-controller/services/renderresources.go).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseQuantity, type VirtualMachineInstance } from '@qvirt/api';
import type { KubeClient } from '@qvirt/kube';
import { eventually } from '@qvirt/testing';
import { figure, pairedFigure, type BenchFigure } from './figure.js';
import { podMemory } from './node/pod-stats.js';
import { inNamespace } from './node/bench-namespace.js';
import { withStack } from './node/stack-session.js';

const NS = 'bench-launcher';
const ROUNDS = 3;
const MiB = 2 ** 20;
/** The plain pod: busybox from Debian's busybox-static, built by scripts/images.sh. */
export const BUSYBOX_IMAGE = 'localhost/qvirt/busybox:1';

/** KubeVirt's estimate of a launcher pod's memory beyond guest RAM, in bytes. */
export function kubevirtOverheadBytes(guestBytes: number, vcpus: number, vfio: boolean): number {
  // 25Mi monitor + 100Mi launcher + 25Mi virtlogd + 40Mi virtqemud + 30Mi QEMU, guest/512 page
  // tables, 8Mi per vCPU, and 1Gi when VFIO pins guest memory.
  return (25 + 100 + 25 + 40 + 30) * MiB + guestBytes / 512 + 8 * MiB * vcpus + (vfio ? 1024 * MiB : 0);
}

interface PodView {
  metadata: { name: string; creationTimestamp?: string; labels?: Record<string, string> };
  status?: { containerStatuses?: { name: string; state?: { running?: unknown } }[] };
}

export async function benchLauncherPod(): Promise<BenchFigure[]> {
  return withStack(async ({ layout, state, client }) => {
    const template = parse(await readFile(join(layout.repo, 'examples/vmi-plain.yaml'), 'utf8')) as VirtualMachineInstance;
    const rounds: { value: number; baseline: number }[] = [];
    let memory: { workingSet: number; guest: number; vcpus: number } | undefined;
    await inNamespace(client, NS, async () => {
      for (let r = 0; r < ROUNDS; r++) {
        // The plain pod first, then the launcher: both timed the same way, by polling the pod.
        const plainStart = Date.now();
        await client.create(`/api/v1/namespaces/${NS}/pods`, busyboxPod(`plain-${r}`));
        const plain = (await untilRunning(client, `plain-${r}`, 'sleep')) - plainStart;

        const vmi = structuredClone(template);
        vmi.metadata = { name: `launcher-${r}`, namespace: NS };
        const vmiStart = Date.now();
        const created = await client.create<VirtualMachineInstance>(`/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances`, vmi);
        const podName = await eventually('launcher pod', async () => (await launcherPod(client, created.metadata.uid!))?.metadata.name, { timeoutMs: 120_000 });
        const launcher = (await untilRunning(client, podName, 'compute')) - vmiStart;
        rounds.push({ value: launcher / 1000, baseline: plain / 1000 });

        if (r === ROUNDS - 1) {
          await eventually(
            'VMI Running',
            async () =>
              (await client.get<VirtualMachineInstance>(`/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances/launcher-${r}`)).status?.phase ===
              'Running',
            { timeoutMs: 240_000 },
          );
          // Let the guest settle, then read what the kubelet reports for the pod (cAdvisor picks a
          // new pod up within its housekeeping interval, ~10 s).
          await sleep(5000);
          const pod = await eventually(
            `${podName} in /stats/summary`,
            async () => (await podMemory(client, state.node)).find((p) => p.namespace === NS && p.name === podName && p.workingSetBytes > 0),
            { timeoutMs: 60_000, intervalMs: 1000 },
          );
          const guest = parseQuantity(String(template.spec.domain.memory?.guest ?? template.spec.domain.resources?.requests?.memory ?? '0'));
          memory = { workingSet: pod.workingSetBytes, guest, vcpus: template.spec.domain.cpu?.cores ?? 1 };
        }
        await client.delete(`/api/v1/namespaces/${NS}/pods/plain-${r}`, { gracePeriodSeconds: 0 });
      }
    });
    const figures = [
      pairedFigure('launcher pod: creation to container running (VMI created)', rounds, 's', 'baseline: a busybox pod on the same node, same rounds'),
    ];
    if (memory) {
      const formula = kubevirtOverheadBytes(memory.guest, memory.vcpus, false);
      figures.push(
        figure(
          'launcher pod: working set less guest memory (128Mi guest, 1 vCPU)',
          (memory.workingSet - memory.guest) / MiB,
          'MiB',
          formula / MiB,
          `working set ${(memory.workingSet / MiB).toFixed(1)} MiB from /stats/summary; baseline: KubeVirt's overhead formula`,
        ),
      );
      figures.push(
        figure(
          'launcher pod: working set (128Mi guest, 1 vCPU)',
          memory.workingSet / MiB,
          'MiB',
          (formula + memory.guest) / MiB,
          'baseline: guest memory + KubeVirt overhead (the pod request KubeVirt would make)',
        ),
      );
    }
    return figures;
  });
}

function busyboxPod(name: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: {
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      containers: [{ name: 'sleep', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['/bin/busybox', 'sleep', '3600'] }],
    },
  };
}

async function launcherPod(client: KubeClient, vmiUid: string): Promise<PodView | undefined> {
  return (await client.get<{ items: PodView[] }>(`/api/v1/namespaces/${NS}/pods`, { labelSelector: `kubevirt.io/created-by=${vmiUid}` })).items[0];
}

/** Polls the pod every 50 ms; returns Date.now() when the container is first seen running. */
async function untilRunning(client: KubeClient, pod: string, container: string): Promise<number> {
  return eventually(
    `${pod}/${container} running`,
    async () => {
      const p = await client.get<PodView>(`/api/v1/namespaces/${NS}/pods/${pod}`);
      return p.status?.containerStatuses?.find((c) => c.name === container)?.state?.running ? Date.now() : undefined;
    },
    { timeoutMs: 240_000, intervalMs: 50 },
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
