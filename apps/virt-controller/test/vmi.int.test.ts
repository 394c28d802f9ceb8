import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import type { Pod } from '@qvirt/kube';
import { isForbidden, isNotFound, KubeClient, loadKubeConfig } from '@qvirt/kube';
import {
  bindPod,
  createNamespace,
  getVmi,
  launcherPods,
  podsPath,
  qatVmi,
  setPodPhase,
  setUp,
  startController,
  vmisPath,
  type ControllerProcess,
  type Env,
} from './harness.js';

let env: Env;
let ctl: ControllerProcess;
let metricsPort: number;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A new namespace with one QAT VMI in it, and the launcher pod the controller made for it. */
async function qatVmiWithPod(namespace: string, name: string, qats = 1) {
  await createNamespace(env, namespace);
  const vmi = await env.admin.create<ReturnType<typeof qatVmi>>(vmisPath(namespace), qatVmi(name, namespace, qats));
  const [pod] = await eventually(
    'launcher pod',
    async () => {
      const pods = await launcherPods(env, namespace, vmi.metadata.uid);
      return pods.length > 0 && pods;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  if (pod === undefined) throw new Error(`no launcher pod for ${namespace}/${name}`);
  return { vmi, pod };
}

beforeAll(async () => {
  env = await setUp();
  metricsPort = await freePort();
  ctl = startController(env, ['--leader-elect=false', '--metrics-port', String(metricsPort), '--metrics-address', '127.0.0.1']);
});
afterAll(async () => {
  await ctl?.kill('SIGTERM');
  await env?.cp.stop();
});

describe('VMI controller on a real API server', () => {
  it('creates exactly one launcher pod for a QAT VMI and follows binding to Scheduled', async () => {
    const { vmi, pod } = await qatVmiWithPod('qat', 'vmi-qat', 2);
    const uid = vmi.metadata.uid!;
    const c = pod.spec!.containers[0]!;
    expect(c.resources?.requests?.['qat.intel.com/generic']).toBe('2');
    expect(c.resources?.limits?.['qat.intel.com/generic']).toBe('2');
    expect(pod.metadata?.name).toMatch(/^virt-launcher-vmi-qat-[a-z0-9]{5}$/);
    expect(pod.metadata?.labels).toMatchObject({ 'kubevirt.io': 'virt-launcher', 'kubevirt.io/created-by': uid });
    expect(pod.metadata?.ownerReferences).toEqual([
      { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', name: 'vmi-qat', uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(c.securityContext?.privileged).toBe(false);

    const scheduling = await eventually(
      'Scheduling',
      async () => {
        const v = await getVmi(env, 'qat', 'vmi-qat');
        return v.status?.phase === 'Scheduling' && v;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(scheduling.metadata.finalizers).toContain('foregroundDeleteVirtualMachine');
    expect(scheduling.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'LiveMigratable', status: 'False', reason: 'HostDeviceNotLiveMigratable' }),
    );

    await bindPod(env, pod, 'node-a');
    await new Promise((r) => setTimeout(r, 500));
    expect((await getVmi(env, 'qat', 'vmi-qat')).status?.phase).toBe('Scheduling'); // bound but not running yet
    await setPodPhase(env, 'qat', pod.metadata!.name!, 'Running');
    const scheduled = await eventually(
      'Scheduled',
      async () => {
        const v = await getVmi(env, 'qat', 'vmi-qat');
        return v.status?.phase === 'Scheduled' && v;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(scheduled.status?.nodeName).toBe('node-a');
    expect(scheduled.status?.phaseTransitionTimestamps?.map((t) => t.phase)).toEqual(['Pending', 'Scheduling', 'Scheduled']);
    expect(await launcherPods(env, 'qat', uid)).toHaveLength(1);
  });

  it('does not fight virt-handler: Running stays Running, and a pod that fails afterwards fails the VMI', async () => {
    const v = await getVmi(env, 'qat', 'vmi-qat');
    await env.admin.patch(`${vmisPath('qat', 'vmi-qat')}/status`, { status: { phase: 'Running' } });
    await new Promise((r) => setTimeout(r, 800));
    expect((await getVmi(env, 'qat', 'vmi-qat')).status?.phase).toBe('Running');
    const [pod] = await launcherPods(env, 'qat', v.metadata.uid);
    await setPodPhase(env, 'qat', pod!.metadata!.name!, 'Failed', 'Error');
    const failed = await eventually(
      'Failed',
      async () => {
        const x = await getVmi(env, 'qat', 'vmi-qat');
        return x.status?.phase === 'Failed' && x;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(failed.status?.reason).toBe('PodFailed');
    // A final VMI keeps no launcher pod (a terminated pod is deleted at once).
    await eventually('failed pod deleted', async () => (await launcherPods(env, 'qat', v.metadata.uid)).length === 0, { timeoutMs: 30_000, intervalMs: 100 });
    expect((await getVmi(env, 'qat', 'vmi-qat')).status?.phase).toBe('Failed');
  });

  it('a VMI that virt-handler marks Failed has its still running launcher pod deleted (its VFs freed)', async () => {
    const { vmi, pod } = await qatVmiWithPod('final', 'start-failed');
    const podName = pod.metadata!.name!;
    await bindPod(env, pod, 'node-a');
    await setPodPhase(env, 'final', podName, 'Running');
    await eventually('Scheduled', async () => (await getVmi(env, 'final', 'start-failed')).status?.phase === 'Scheduled', {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    // As virt-handler when libvirt refuses to start the domain (no IOMMU): Failed while the launcher still runs.
    await env.admin.patch(`${vmisPath('final', 'start-failed')}/status`, {
      status: { phase: 'Failed', reason: 'StartFailed', message: "host doesn't support passthrough of host PCI devices" },
    });
    const terminating = await eventually(
      'pod terminating',
      async () => {
        const p = await env.admin.get<Pod>(podsPath('final', podName));
        return p.metadata?.deletionTimestamp ? p : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(terminating.metadata?.deletionGracePeriodSeconds).toBe(pod.spec?.terminationGracePeriodSeconds); // the pod's own grace period
    const failed = await getVmi(env, 'final', 'start-failed');
    expect(failed.status).toMatchObject({ phase: 'Failed', reason: 'StartFailed' });
    expect(failed.metadata.finalizers).toContain('foregroundDeleteVirtualMachine');
    // As the kubelet: the launcher stopped. No new pod for a final VMI, and it stays Failed.
    await env.admin.delete(podsPath('final', podName), { gracePeriodSeconds: 0 });
    await eventually('pod gone', async () => (await launcherPods(env, 'final', vmi.metadata.uid)).length === 0, { timeoutMs: 30_000, intervalMs: 100 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await launcherPods(env, 'final', vmi.metadata.uid)).toHaveLength(0);
    expect((await getVmi(env, 'final', 'start-failed')).status).toMatchObject({ phase: 'Failed', reason: 'StartFailed' });
  });

  it('deletes the launcher pod with the VMI and drops the finalizer only once the pod is gone', async () => {
    const { pod } = await qatVmiWithPod('del', 'gone');
    await eventually('finalizer', async () => (await getVmi(env, 'del', 'gone')).metadata.finalizers?.includes('foregroundDeleteVirtualMachine'), {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    await bindPod(env, pod, 'node-a'); // a bound pod waits for its kubelet when deleted
    await env.admin.delete(vmisPath('del', 'gone'));
    const terminating = await eventually(
      'pod terminating',
      async () => {
        const p = await env.admin.get<Pod>(podsPath('del', pod.metadata!.name));
        return p.metadata?.deletionTimestamp ? p : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(terminating).toBeTruthy();
    await new Promise((r) => setTimeout(r, 500));
    expect((await getVmi(env, 'del', 'gone')).metadata.finalizers).toContain('foregroundDeleteVirtualMachine');
    // As the kubelet: the container stopped, confirm the deletion.
    await env.admin.delete(podsPath('del', pod.metadata!.name), { gracePeriodSeconds: 0 });
    await eventually(
      'VMI gone',
      async () => {
        try {
          await getVmi(env, 'del', 'gone');
          return false;
        } catch (err) {
          return isNotFound(err);
        }
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  });

  it('does not render a device that permittedHostDevices does not permit: FailedCreate event and condition', async () => {
    await createNamespace(env, 'perm');
    await env.admin.create('/apis/kubevirt.io/v1/namespaces/kubevirt/kubevirts', {
      apiVersion: 'kubevirt.io/v1',
      kind: 'KubeVirt',
      metadata: { name: 'kubevirt', namespace: 'kubevirt' },
      spec: {
        configuration: {
          developerConfiguration: { featureGates: ['QAT'] },
          permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '8086:4941', resourceName: 'qat.intel.com/cy' }] },
        },
      },
    });
    await new Promise((r) => setTimeout(r, 500)); // let the config informer see it
    const vmi = await env.admin.create<ReturnType<typeof qatVmi>>(vmisPath('perm'), qatVmi('denied', 'perm'));
    const msg = 'QAT qat.intel.com/generic is not permitted in permittedHostDevices configuration';
    const v = await eventually(
      'Synchronized=False',
      async () => {
        const x = await getVmi(env, 'perm', 'denied');
        return x.status?.conditions?.some((c) => c.type === 'Synchronized' && c.status === 'False') && x;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(v.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Synchronized', status: 'False', reason: 'FailedCreate', message: msg }));
    const events = await eventually(
      'FailedCreate event',
      async () => {
        const list = await env.admin.get<{ items: { reason: string; message: string; type: string; involvedObject: { uid: string } }[] }>(
          '/api/v1/namespaces/perm/events',
        );
        const e = list.items.filter((x) => x.reason === 'FailedCreate' && x.involvedObject.uid === vmi.metadata.uid);
        return e.length > 0 && e;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(events[0]).toMatchObject({ type: 'Warning', message: msg });
    expect(await launcherPods(env, 'perm', vmi.metadata.uid)).toHaveLength(0);

    // Permitting the resource unblocks the VMI without touching it.
    await env.admin.patch('/apis/kubevirt.io/v1/namespaces/kubevirt/kubevirts/kubevirt', {
      spec: { configuration: { permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '8086:37c9', resourceName: 'qat.intel.com/generic' }] } } },
    });
    await eventually('pod after permitting', async () => (await launcherPods(env, 'perm', vmi.metadata.uid)).length === 1, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    await env.admin.delete('/apis/kubevirt.io/v1/namespaces/kubevirt/kubevirts/kubevirt');
  });

  it("the controller's ServiceAccount may do its job and nothing more", async () => {
    const sa = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: env.saKubeconfig }) });
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'evil' } };
    const refused = await sa.create('/api/v1/nodes', node).catch((e: unknown) => e);
    expect(isForbidden(refused)).toBe(true);
    expect(isForbidden(await sa.get('/api/v1/namespaces/kubevirt/secrets').catch((e: unknown) => e))).toBe(true);
    expect(isForbidden(await sa.get('/api/v1/namespaces/kubevirt/configmaps').catch((e: unknown) => e))).toBe(true); // only kubevirt-config, by field selector
    expect(isForbidden(await sa.create(`${podsPath('qat', 'x')}/binding`, {}).catch((e: unknown) => e))).toBe(true);
    // ... while what it needs is allowed.
    await sa.get('/api/v1/namespaces/kubevirt/configmaps', { fieldSelector: 'metadata.name=kubevirt-config' });
    await sa.get('/apis/kubevirt.io/v1/virtualmachineinstances');
    await sa.close();
  });

  it('serves KubeVirt VMI metrics, queue depth and reconcile latency', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toContain(`kubevirt_vmi_phase_count{phase="failed",node="node-a"} 2`); // vmi-qat and start-failed
    expect(text).toMatch(/kubevirt_vmi_phase_transition_time_from_creation_seconds_bucket\{le="600",phase="scheduled"\} [1-9]/);
    expect(text).toContain('kubevirt_virt_controller_workqueue_depth{queue="virtualmachineinstance"}');
    expect(text).toMatch(/kubevirt_virt_controller_reconcile_duration_seconds_count\{controller="virtualmachineinstance",outcome="success"\} [1-9]/);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status).toBe(200);
  });
});
