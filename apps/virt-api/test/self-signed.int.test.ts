// In-cluster certificate mode against the real API server: virt-api creates its CA + serving
// cert in Secret kubevirt/kubevirt-virt-api-certs, serves with it, keeps both webhook
// configurations' caBundle current and renews/reloads when the stored cert is not usable.
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { connect } from 'node:tls';
import type { KubeClient } from '@qvirt/kube';
import { createCA, issueCert } from '@qvirt/pki';
import { startControlPlane, type ControlPlane } from '@qvirt/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { eventually } from '@qvirt/testing';
import { adminClient, applyDocs, kubectlOk, prepareCluster, urlWebhookConfigurations } from './support/cluster.js';
import { freePort, repoRoot, startVirtApi, type VirtApiProcess } from './support/virt-api-process.js';

interface Secret {
  metadata: { resourceVersion: string };
  data: Record<string, string>;
}
const SECRET_PATH = '/api/v1/namespaces/kubevirt/secrets/kubevirt-virt-api-certs';
const WEBHOOK_PATHS = [
  '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/virt-api-validator',
  '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/virt-api-mutator',
];
const decode = (b64: string | undefined): string => Buffer.from(b64 ?? '', 'base64').toString('utf8');

let cp: ControlPlane;
let client: KubeClient;
const dir = useTempDir('virt-api-selfsigned-', { scope: 'all' });
let port: number;
let args: string[];
let virtApi: VirtApiProcess;

beforeAll(async () => {
  cp = await startControlPlane();
  client = adminClient(cp);
  await prepareCluster(cp);
  // The webhooks exist but nobody set a caBundle yet: virt-api must.
  port = await freePort();
  await applyDocs(cp, urlWebhookConfigurations(port, undefined));
  const sa = await cp.serviceAccountKubeconfig('kubevirt', 'virt-api');
  args = [
    '--self-signed-secret=kubevirt/kubevirt-virt-api-certs',
    '--extra-san=127.0.0.1',
    `--cert-dir=${dir()}`,
    '--cert-check-seconds=1',
    `--kubeconfig=${sa}`,
  ];
  virtApi = startVirtApi({ port, args });
});

afterAll(async () => {
  await virtApi?.stop('SIGKILL');
  await client?.close();
  await cp?.stop();
});

const readSecret = () => client.get<Secret>(SECRET_PATH);

function servedCertFingerprint(caPem: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, ca: caPem }, () => {
      resolve(s.getPeerX509Certificate()!.fingerprint256);
      s.end();
    });
    s.on('error', reject);
  });
}

async function caBundles(): Promise<string[]> {
  const out: string[] = [];
  for (const p of WEBHOOK_PATHS) {
    const cfg = await client.get<{ webhooks: { clientConfig: { caBundle?: string } }[] }>(p);
    out.push(...cfg.webhooks.map((w) => w.clientConfig.caBundle ?? ''));
  }
  return out;
}

describe('virt-api --self-signed-secret', () => {
  let first: Secret;

  it('creates the Secret, serves its cert and sets every caBundle; VMIs are admitted', async () => {
    first = await eventually('Secret created', async () => readSecret().catch(() => undefined), { timeoutMs: 60_000 });
    expect(Object.keys(first.data).sort()).toEqual(['ca-bundle.crt', 'ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    const cert = new X509Certificate(decode(first.data['tls.crt']));
    expect(cert.checkHost('virt-api.kubevirt.svc')).toBe('virt-api.kubevirt.svc');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    const caPem = decode(first.data['ca.crt']);
    await virtApi.waitReady(caPem);
    expect(await servedCertFingerprint(caPem)).toBe(cert.fingerprint256);
    const bundles = await caBundles();
    expect(bundles).toHaveLength(5);
    for (const b of bundles) expect(b).toBe(first.data['ca-bundle.crt']);
    await eventually(
      'vmi-plain admitted',
      async () => ((await cp.kubectl(['apply', '-f', join(repoRoot, 'examples/vmi-plain.yaml')])).code === 0 ? true : undefined),
      { timeoutMs: 10_000 },
    );
    expect(virtApi.output()).not.toMatch(/PRIVATE KEY/);
  });

  it('restores a caBundle someone changed', async () => {
    const other = await createCA({ commonName: 'someone-else', validityDays: 1 });
    await kubectlOk(cp, [
      'patch',
      'validatingwebhookconfiguration',
      'virt-api-validator',
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'replace', path: '/webhooks/0/clientConfig/caBundle', value: Buffer.from(other.certPem).toString('base64') }]),
    ]);
    await eventually('caBundle restored', async () => ((await caBundles()).every((b) => b === first.data['ca-bundle.crt']) ? true : undefined), {
      timeoutMs: 10_000,
    });
  });

  it('renews a serving cert that its CA did not sign and serves the new one without a restart', async () => {
    const stranger = await createCA({ commonName: 'stranger', validityDays: 1 });
    const foreign = await issueCert({ ca: stranger, commonName: 'virt-api', dnsNames: ['virt-api.kubevirt.svc'], usage: 'server', validityDays: 1 });
    await client.replace(SECRET_PATH, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'kubevirt-virt-api-certs', namespace: 'kubevirt' },
      data: { ...first.data, 'tls.crt': Buffer.from(foreign.certPem).toString('base64'), 'tls.key': Buffer.from(foreign.keyPem).toString('base64') },
    });
    const caPem = decode(first.data['ca.crt']);
    const renewed = await eventually(
      'serving cert renewed',
      async () => {
        const s = await readSecret();
        const c = new X509Certificate(decode(s.data['tls.crt']));
        return c.verify(new X509Certificate(caPem).publicKey) && c.fingerprint256 !== new X509Certificate(decode(first.data['tls.crt'])).fingerprint256
          ? s
          : undefined;
      },
      { timeoutMs: 15_000 },
    );
    expect(renewed.data['ca.crt']).toBe(first.data['ca.crt']);
    const want = new X509Certificate(decode(renewed.data['tls.crt'])).fingerprint256;
    await eventually('new cert served', async () => ((await servedCertFingerprint(caPem)) === want ? true : undefined), { timeoutMs: 10_000 });
    first = renewed;
  });

  it('reuses the stored certificates after a restart', async () => {
    expect(await virtApi.stop('SIGTERM')).toBe(0);
    virtApi = startVirtApi({ port, args });
    const caPem = decode(first.data['ca.crt']);
    await virtApi.waitReady(caPem);
    const after = await readSecret();
    expect(after.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(await servedCertFingerprint(caPem)).toBe(new X509Certificate(decode(first.data['tls.crt'])).fingerprint256);
  });
});
