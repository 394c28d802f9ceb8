import { existsSync } from 'node:fs';
import { once } from 'node:events';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { AdmissionregistrationV1Api, CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { createCA, issueCert } from '@qvirt/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../src/index.js';
import { eventually } from '@qvirt/testing';
import { isRunning } from './proc.js';

describe('startControlPlane (etcd + kube-apiserver)', () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane();
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('serves TLS with its own CA and answers /readyz as admin', async () => {
    expect(cp.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(cp.caPem).toMatch(/BEGIN CERTIFICATE/);
    const r = await cp.kubectl(['get', '--raw', '/readyz']);
    expect(r).toMatchObject({ code: 0, stdout: 'ok' });
    const who = await cp.kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.groups}']);
    expect(who.stdout).toContain('system:masters');
  });

  it('admin creates a namespace and a ConfigMap', async () => {
    const core = cp.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'demo' } } });
    await core.createNamespacedConfigMap({ namespace: 'demo', body: { metadata: { name: 'cm1' }, data: { k: 'v' } } });
    const got = await core.readNamespacedConfigMap({ namespace: 'demo', name: 'cm1' });
    expect(got.data).toEqual({ k: 'v' });
    const viaKubectl = await cp.kubectl(['-n', 'demo', 'get', 'configmap', 'cm1', '-o', 'jsonpath={.data.k}']);
    expect(viaKubectl).toMatchObject({ code: 0, stdout: 'v' });
  });

  it('a ServiceAccount without roles is forbidden, and allowed after a Role + RoleBinding', async () => {
    const kubeconfig = await cp.serviceAccountKubeconfig('team', 'reader');
    await cp.kubectl(['-n', 'team', 'create', 'configmap', 'visible']);
    const denied = await cp.kubectl(['get', 'configmaps'], { kubeconfig });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('forbidden');
    expect(denied.stderr).toContain('system:serviceaccount:team:reader');

    const rbac = cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: 'team',
      body: { metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: 'team',
      body: {
        metadata: { name: 'reader-cm' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'team' }],
      },
    });
    // The authorizer sees RBAC objects through an informer: allow a moment.
    const allowed = await eventually(
      'the reader allowed to list configmaps',
      async () => {
        const r = await cp.kubectl(['get', 'configmaps', '-o', 'name'], { kubeconfig });
        return r.code === 0 ? r : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(allowed?.code).toBe(0);
    expect(allowed?.stdout).toContain('configmap/visible');
    // Still no write access.
    const write = await cp.kubectl(['create', 'configmap', 'x'], { kubeconfig });
    expect(write.stderr).toContain('forbidden');
  });

  it('calls a validating webhook served over HTTPS on loopback (url clientConfig + caBundle)', async () => {
    // A webhook brings its own CA (as virt-api will) and hands it to the apiserver as caBundle.
    const ca = await createCA({ commonName: 'webhook-ca', validityDays: 1 });
    const serving = await issueCert({ ca, commonName: 'webhook', ipAddresses: ['127.0.0.1'], usage: 'server', validityDays: 1 });
    let calls = 0;
    const srv = https.createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        calls++;
        const review = JSON.parse(body) as { request: { uid: string; object: { data?: Record<string, string> } } };
        const deny = review.request.object.data?.deny === 'true';
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            apiVersion: 'admission.k8s.io/v1',
            kind: 'AdmissionReview',
            response: {
              uid: review.request.uid,
              allowed: !deny,
              status: deny ? { code: 422, reason: 'Invalid', message: 'deny=true is not allowed' } : undefined,
            },
          }),
        );
      });
    });
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    try {
      const { port } = srv.address() as AddressInfo;
      const admission = cp.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
      await admission.createValidatingWebhookConfiguration({
        body: {
          metadata: { name: 'deny-cm' },
          webhooks: [
            {
              name: 'deny.cm.qvirt.test',
              admissionReviewVersions: ['v1'],
              sideEffects: 'None',
              failurePolicy: 'Fail',
              clientConfig: { url: `https://127.0.0.1:${port}/validate`, caBundle: Buffer.from(ca.certPem).toString('base64') },
              rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
              namespaceSelector: { matchLabels: { webhook: 'on' } },
            },
          ],
        },
      });
      await cp.kubectl(['create', 'namespace', 'hooked']);
      await cp.kubectl(['label', 'namespace', 'hooked', 'webhook=on']);
      // The webhook configuration reaches the admission chain through an informer.
      const denied = await eventually(
        'the webhook denying deny=true',
        async () => {
          const r = await cp.kubectl(['-n', 'hooked', 'create', 'configmap', `d${Date.now()}`, '--from-literal=deny=true']);
          return r.code !== 0 ? r : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      expect(denied?.stderr).toContain('deny=true is not allowed');
      const ok = await cp.kubectl(['-n', 'hooked', 'create', 'configmap', 'fine', '--from-literal=deny=false']);
      expect(ok.code).toBe(0);
      expect(calls).toBeGreaterThanOrEqual(2);
    } finally {
      srv.close();
    }
  });

  it('stop() leaves no etcd or kube-apiserver process and no temp dir', async () => {
    const { etcd, apiserver } = cp.pids;
    expect(isRunning(etcd)).toBe(true);
    expect(isRunning(apiserver)).toBe(true);
    expect(existsSync(cp.tempDir)).toBe(true);
    await cp.stop();
    expect(isRunning(etcd)).toBe(false);
    expect(isRunning(apiserver)).toBe(false);
    expect(existsSync(cp.tempDir)).toBe(false);
    await cp.stop(); // idempotent
  });
});
