// Shared set-up for the controller's integration suites: a real kube-apiserver (testenv),
// the CRDs and the controller's RBAC from deploy/, the controller as a child process
// with its own ServiceAccount token, and helpers that act as scheduler/kubelet.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Pod, PodList } from '@qvirt/kube';
import type { VirtualMachineInstance } from '@qvirt/api';
import { KubeClient, loadKubeConfig, resourcePath } from '@qvirt/kube';
import { startControlPlane, type ControlPlane, type ControlPlaneOptions } from '@qvirt/testenv';

export const repoRoot = resolve(import.meta.dirname, '../../..');
const mainTs = join(repoRoot, 'apps/virt-controller/src/main.ts');

export interface Env {
  cp: ControlPlane;
  admin: KubeClient;
  saKubeconfig: string;
}

export async function setUp(opts: ControlPlaneOptions = {}): Promise<Env> {
  const cp = await startControlPlane(opts);
  for (const args of [
    ['apply', '-f', join(repoRoot, 'deploy/crds')],
    ['create', 'namespace', 'kubevirt'],
    ['apply', '-f', join(repoRoot, 'deploy/base/virt-controller/rbac.yaml')],
    [
      'wait',
      '--for=condition=Established',
      '--timeout=60s',
      'crd/virtualmachineinstances.kubevirt.io',
      'crd/virtualmachines.kubevirt.io',
      'crd/kubevirts.kubevirt.io',
    ],
  ]) {
    const r = await cp.kubectl(args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  }
  const saKubeconfig = await cp.serviceAccountKubeconfig('kubevirt', 'kubevirt-controller');
  return { cp, admin: new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: cp.kubeconfigPath }) }), saKubeconfig };
}

export interface ControllerProcess {
  child: ChildProcess;
  identity: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts virt-controller (TypeScript source through tsx) as the kubevirt-controller ServiceAccount. */
export function startController(env: Env, extra: string[] = [], identity = `ctl-${Math.random().toString(36).slice(2, 8)}`): ControllerProcess {
  const child = spawn(
    process.execPath,
    [
      '--conditions',
      'source',
      '--import',
      'tsx',
      mainTs,
      '--kubeconfig',
      env.saKubeconfig,
      '--metrics-port',
      '0',
      '--identity',
      identity,
      '--lease-duration',
      '4s',
      '--renew-deadline',
      '3s',
      '--retry-period',
      '500ms',
      '--log-level',
      'info',
      ...extra,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '' } },
  );
  const log = createWriteStream(join(env.cp.tempDir, `controller-${identity}.log`), { flags: 'a' });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return {
    child,
    identity,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

export const vmisPath = (ns: string, name?: string) =>
  resourcePath({ group: 'kubevirt.io', version: 'v1', resource: 'virtualmachineinstances', namespace: ns, name });
export const vmsPath = (ns: string, name?: string) => resourcePath({ group: 'kubevirt.io', version: 'v1', resource: 'virtualmachines', namespace: ns, name });
export const podsPath = (ns: string, name?: string) => resourcePath({ version: 'v1', resource: 'pods', namespace: ns, name });

/** A namespace with its `default` ServiceAccount (no controller-manager here to make it; pod admission needs it). */
export async function createNamespace(env: Env, name: string): Promise<void> {
  await env.admin.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await env.admin.create(`/api/v1/namespaces/${name}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
}

export function qatVmi(name: string, namespace: string, qats = 1): VirtualMachineInstance {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name, namespace },
    spec: {
      terminationGracePeriodSeconds: 30,
      domain: {
        cpu: { cores: 1 },
        memory: { guest: '128Mi' },
        firmware: {
          kernelBoot: {
            kernelArgs: 'console=ttyS0 quiet',
            hostPath: { kernelPath: '/var/lib/qvirt/images/qvirt-test-guest/vmlinuz', initrdPath: '/var/lib/qvirt/images/qvirt-test-guest/initrd.img' },
          },
        },
        devices: { qats: Array.from({ length: qats }, (_, i) => ({ name: `qat${i}`, deviceName: 'qat.intel.com/generic' })) },
      },
    },
  };
}

export async function launcherPods(env: Env, ns: string, vmiUid?: string): Promise<Pod[]> {
  const list = await env.admin.get<PodList>(podsPath(ns), { labelSelector: vmiUid ? `kubevirt.io/created-by=${vmiUid}` : 'kubevirt.io=virt-launcher' });
  return list.items;
}

/** As the scheduler: POST pods/<name>/binding. */
export async function bindPod(env: Env, pod: Pod, node: string): Promise<void> {
  await env.admin.create(`${podsPath(pod.metadata!.namespace!, pod.metadata!.name)}/binding`, {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: pod.metadata!.name, namespace: pod.metadata!.namespace },
    target: { apiVersion: 'v1', kind: 'Node', name: node },
  });
}

/** As the kubelet: write the pod's status phase (Running, Failed, ...). */
export async function setPodPhase(env: Env, ns: string, name: string, phase: 'Running' | 'Failed' | 'Succeeded', reason?: string): Promise<void> {
  await env.admin.patch(`${podsPath(ns, name)}/status`, {
    status: {
      phase,
      ...(reason ? { reason, message: `test set ${phase}` } : {}),
      ...(phase === 'Running' ? { conditions: [{ type: 'Ready', status: 'True' }] } : {}),
    },
  });
}

export async function getVmi(env: Env, ns: string, name: string): Promise<VirtualMachineInstance> {
  return env.admin.get<VirtualMachineInstance>(vmisPath(ns, name));
}
