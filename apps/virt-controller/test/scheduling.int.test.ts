import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import type { VirtualMachine } from '@qvirt/api';
import {
  createNamespace,
  getVmi,
  launcherPods,
  podsPath,
  qatVmi,
  setPodPhase,
  setUp,
  startController,
  vmisPath,
  vmsPath,
  type ControllerProcess,
  type Env,
} from './harness.js';

let env: Env;
let ctl: ControllerProcess;

beforeAll(async () => {
  env = await setUp({ withScheduler: true });
  // A node with one QAT VF, as virt-handler's device plugin would have advertised it.
  await env.admin.create('/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'qat-node', labels: { 'kubernetes.io/hostname': 'qat-node', 'kubevirt.io/schedulable': 'true' } },
  });
  // The TaintNodesByCondition admission plugin taints a new node not-ready; with no node
  // lifecycle controller here, clear it as that controller would for a Ready node.
  await env.admin.patch('/api/v1/nodes/qat-node', { spec: { taints: null } });
  const capacity = { cpu: '8', memory: '16Gi', pods: '110', 'qat.intel.com/generic': '1' };
  await env.admin.patch('/api/v1/nodes/qat-node/status', {
    status: {
      capacity,
      allocatable: capacity,
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test node', lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
      ],
    },
  });
  await createNamespace(env, 'sched');
  ctl = startController(env, ['--leader-elect=false']);
});
afterAll(async () => {
  await ctl?.kill('SIGTERM');
  await env?.cp.stop();
});

describe('with the real kube-scheduler', () => {
  it("copies the scheduler's Insufficient qat.intel.com/generic onto the VMI", async () => {
    await env.admin.create(vmisPath('sched'), qatVmi('too-many', 'sched', 2));
    const v = await eventually(
      'PodScheduled=False',
      async () => {
        const x = await getVmi(env, 'sched', 'too-many');
        return x.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False') && x;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    const cond = v.status!.conditions!.find((c) => c.type === 'PodScheduled')!;
    expect(cond.reason).toBe('Unschedulable');
    expect(cond.message).toMatch(/Insufficient qat\.intel\.com\/generic/);
    expect(v.status?.phase).toBe('Scheduling');
    await env.admin.delete(vmisPath('sched', 'too-many'));
  });

  it('a VMI that fits is bound by the scheduler and reaches Scheduled once its pod runs', async () => {
    const vmi = await env.admin.create<ReturnType<typeof qatVmi>>(vmisPath('sched'), qatVmi('fits', 'sched', 1));
    const pod = await eventually(
      'bound pod',
      async () => {
        const [p] = await launcherPods(env, 'sched', vmi.metadata.uid);
        return p?.spec?.nodeName ? p : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(pod.spec?.nodeName).toBe('qat-node');
    await setPodPhase(env, 'sched', pod.metadata!.name!, 'Running');
    const v = await eventually(
      'Scheduled',
      async () => {
        const x = await getVmi(env, 'sched', 'fits');
        return x.status?.phase === 'Scheduled' && x;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(v.status?.nodeName).toBe('qat-node');
    // Free the VF for the VM tests: as the kubelet, the pod ends and is removed.
    await setPodPhase(env, 'sched', pod.metadata!.name!, 'Succeeded');
    await env.admin.delete(vmisPath('sched', 'fits'));
    await eventually('pod gone', async () => (await launcherPods(env, 'sched', vmi.metadata.uid)).length === 0, { timeoutMs: 30_000, intervalMs: 100 });
  });
});

describe('VM controller run strategies', () => {
  const vm = (name: string, runStrategy: VirtualMachine['spec']['runStrategy']): VirtualMachine => ({
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace: 'sched' },
    spec: { runStrategy, template: { metadata: { labels: { app: name } }, spec: qatVmi(name, 'sched', 1).spec } },
  });

  /** As the kubelet: the launcher pod of the current VMI fails. */
  async function failCurrentVmi(name: string): Promise<string> {
    const vmi = await eventually('VMI', () => getVmi(env, 'sched', name), { timeoutMs: 30_000, intervalMs: 100 });
    const pod = await eventually('pod', async () => (await launcherPods(env, 'sched', vmi.metadata.uid))[0], { timeoutMs: 60_000, intervalMs: 100 });
    await setPodPhase(env, 'sched', pod.metadata!.name!, 'Failed', 'Error');
    // Failed, or already replaced by a new VMI (the VM controller can be faster than our polling).
    await eventually(
      'VMI Failed',
      async () => {
        const v = await getVmi(env, 'sched', name).catch(() => undefined);
        return !v || v.metadata.uid !== vmi.metadata.uid || v.status?.phase === 'Failed';
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    return vmi.metadata.uid!;
  }

  it('RerunOnFailure recreates a failed VMI; Manual leaves it', async () => {
    await env.admin.create(vmsPath('sched'), vm('rerun', 'RerunOnFailure'));
    const first = await failCurrentVmi('rerun');
    const second = await eventually(
      'a new VMI',
      async () => {
        const v = await getVmi(env, 'sched', 'rerun');
        return v.metadata.uid !== first && v;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(second.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'VirtualMachine', name: 'rerun', controller: true });
    expect(second.metadata.labels).toMatchObject({ app: 'rerun' });
    const status = await eventually(
      'VM status',
      async () => {
        const v = await env.admin.get<VirtualMachine>(vmsPath('sched', 'rerun'));
        return v.status?.created && v.status;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(status).toMatchObject({ created: true, ready: false, runStrategy: 'RerunOnFailure' });

    // Manual: the controller must not restart it.
    await env.admin.patch(vmsPath('sched', 'rerun'), { spec: { runStrategy: 'Manual' } });
    await new Promise((r) => setTimeout(r, 500));
    const failedUid = await failCurrentVmi('rerun');
    await new Promise((r) => setTimeout(r, 3000));
    const still = await getVmi(env, 'sched', 'rerun');
    expect(still.metadata.uid).toBe(failedUid);
    expect(still.status?.phase).toBe('Failed');
    expect(still.metadata.deletionTimestamp).toBeUndefined();
    const vmStatus = (await env.admin.get<VirtualMachine>(vmsPath('sched', 'rerun'))).status;
    expect(vmStatus?.printableStatus).toBe('Stopped');
  });

  it('Halted deletes the VMI; Always starts one', async () => {
    const old = await getVmi(env, 'sched', 'rerun');
    await env.admin.patch(vmsPath('sched', 'rerun'), { spec: { runStrategy: 'Halted' } });
    await eventually(
      'VMI deleted',
      async () => {
        // As the kubelet: confirm the deletion of a launcher pod that was bound to our node.
        for (const p of await launcherPods(env, 'sched', old.metadata.uid)) {
          if (p.metadata?.deletionTimestamp) await env.admin.delete(podsPath('sched', p.metadata.name), { gracePeriodSeconds: 0 }).catch(() => undefined);
        }
        return getVmi(env, 'sched', 'rerun').then(
          () => false,
          () => true,
        );
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    await eventually('Stopped', async () => (await env.admin.get<VirtualMachine>(vmsPath('sched', 'rerun'))).status?.printableStatus === 'Stopped', {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    await env.admin.patch(vmsPath('sched', 'rerun'), { spec: { runStrategy: 'Always' } });
    await eventually('VMI started', () => getVmi(env, 'sched', 'rerun'), { timeoutMs: 30_000, intervalMs: 100 });
  });
});
