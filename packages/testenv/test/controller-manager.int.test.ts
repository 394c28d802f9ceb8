import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../src/index.js';
import { eventually } from '@qvirt/testing';
import { isRunning } from './proc.js';

describe('startControlPlane({ withControllerManager })', () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane({ withControllerManager: true });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('runs the serviceaccount and root-CA publisher controllers in a new namespace', async () => {
    expect(cp.pids.controllerManager && isRunning(cp.pids.controllerManager)).toBe(true);
    const core = cp.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'gc' } } });
    const sa = await eventually('ServiceAccount gc/default', () => core.readNamespacedServiceAccount({ namespace: 'gc', name: 'default' }), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(sa?.metadata?.name).toBe('default');
    const rootCa = await eventually('ConfigMap gc/kube-root-ca.crt', () => core.readNamespacedConfigMap({ namespace: 'gc', name: 'kube-root-ca.crt' }), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(rootCa?.data?.['ca.crt']).toBe(cp.caPem);
  });

  it('the garbage collector deletes a dependent once its owner is gone', async () => {
    const core = cp.kubeConfig.makeApiClient(CoreV1Api);
    const owner = await core.createNamespacedConfigMap({ namespace: 'gc', body: { metadata: { name: 'owner' } } });
    await core.createNamespacedConfigMap({
      namespace: 'gc',
      body: { metadata: { name: 'dependent', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid! }] } },
    });
    await core.deleteNamespacedConfigMap({ namespace: 'gc', name: 'owner' });
    const gone = await eventually(
      'ConfigMap gc/dependent gone',
      async () => {
        try {
          await core.readNamespacedConfigMap({ namespace: 'gc', name: 'dependent' });
          return undefined;
        } catch (err) {
          return (err as { code?: number }).code === 404 ? true : undefined;
        }
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    expect(gone).toBe(true);
  });
});
