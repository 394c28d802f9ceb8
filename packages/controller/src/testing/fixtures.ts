import type { Pod } from '@qvirt/kube';
import { emptyClusterConfig, type VirtualMachine, type VirtualMachineInstance } from '@qvirt/api';
import { qatDevices, vmiFixture as apiVmiFixture } from '@qvirt/api/testing';
import type { LauncherPodInputs } from '../vmi/launcher-pod.renderer.js';

/** A fresh VMI as the API server would return it (uid, namespace set): examples/vmi-qat.yaml with `qats` QATs. */
export function vmiFixture(
  over: { qats?: number; hostDevices?: string[]; name?: string; phase?: VirtualMachineInstance['status'] } = {},
): VirtualMachineInstance {
  const name = over.name ?? 'vmi-qat';
  return apiVmiFixture({
    name,
    metadata: { uid: `uid-${name}`, resourceVersion: '10', creationTimestamp: '2025-01-01T00:00:00Z' },
    qats: qatDevices(over.qats ?? 1, { firstIndex: 0 }),
    ...(over.hostDevices ? { hostDevices: over.hostDevices.map((d, i) => ({ name: `hd${i}`, deviceName: d })) } : {}),
    ...(over.phase ? { status: over.phase } : {}),
  });
}

export function inputsFixture(over: Partial<LauncherPodInputs> = {}): LauncherPodInputs {
  return { launcherImage: 'qvirt/virt-launcher:test', kvmMode: 'emulation', clusterConfig: emptyClusterConfig(['QAT']), ...over };
}

export function podFixture(
  over: {
    phase?: string;
    nodeName?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    deleting?: boolean;
    name?: string;
    created?: string;
  } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: over.name ?? 'virt-launcher-vmi-qat-abcde',
      namespace: 'default',
      uid: 'pod-uid',
      labels: { 'kubevirt.io': 'virt-launcher', 'kubevirt.io/created-by': 'uid-vmi-qat' },
      creationTimestamp: over.created ?? '2025-01-01T00:00:01Z',
      ...(over.deleting ? { deletionTimestamp: '2025-01-01T00:01:00Z' } : {}),
    },
    spec: { containers: [], ...(over.nodeName ? { nodeName: over.nodeName } : {}) },
    status: { phase: over.phase ?? 'Pending', ...(over.conditions ? { conditions: over.conditions } : {}) },
  };
}

export function vmFixture(over: { running?: boolean; runStrategy?: VirtualMachine['spec']['runStrategy']; deleting?: boolean } = {}): VirtualMachine {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: {
      name: 'vm-qat',
      namespace: 'default',
      uid: 'vm-uid',
      generation: 3,
      resourceVersion: '5',
      ...(over.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    spec: {
      ...(over.running !== undefined ? { running: over.running } : {}),
      ...(over.runStrategy ? { runStrategy: over.runStrategy } : {}),
      template: { metadata: { labels: { app: 'vm-qat' } }, spec: vmiFixture({ qats: 2 }).spec },
    },
  };
}
