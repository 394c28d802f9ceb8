// virt-api as a real process behind the real kube-apiserver: url-based webhook configurations
// built from deploy/base, virt-api running with the ServiceAccount token + RBAC of deploy/base/virt-api.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QAT_GATE_DISABLED_MESSAGE, VMI_UPDATE_RESTRICTED_MESSAGE } from '@qvirt/validation';
import { createCA, issueCert } from '@qvirt/pki';
import { startControlPlane, type ControlPlane } from '@qvirt/testenv';
import type { KubeClient } from '@qvirt/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { eventually } from '@qvirt/testing';
import { adminClient, applyDocs, kubectlOk, prepareCluster, urlWebhookConfigurations } from './support/cluster.js';
import { loadDoc } from './support/manifests.js';
import { freePort, httpsCall, repoRoot, startVirtApi, type VirtApiProcess } from './support/virt-api-process.js';

const VMI_QAT = join(repoRoot, 'examples/vmi-qat.yaml');
const VMI_PLAIN = join(repoRoot, 'examples/vmi-plain.yaml');
// kubectl prints a 422 Invalid with causes as "The request is invalid: <field>: <message>".
const INVALID = 'The request is invalid:';

let cp: ControlPlane;
let client: KubeClient;
const dir = useTempDir('virt-api-int-', { scope: 'all' });
let caPem: string;
let port: number;
let virtApiArgs: string[];
let virtApi: VirtApiProcess;

beforeAll(async () => {
  cp = await startControlPlane();
  client = adminClient(cp);
  await prepareCluster(cp);
  const saKubeconfig = await cp.serviceAccountKubeconfig('kubevirt', 'virt-api');
  const ca = await createCA({ commonName: 'virt-api-test-ca', validityDays: 1 });
  const serving = await issueCert({ ca, commonName: 'virt-api', ipAddresses: ['127.0.0.1'], usage: 'server', validityDays: 1 });
  caPem = ca.certPem;
  await writeFile(join(dir(), 'tls.crt'), serving.certPem);
  await writeFile(join(dir(), 'tls.key'), serving.keyPem, { mode: 0o600 });
  port = await freePort();
  virtApiArgs = ['--tls-cert-file', join(dir(), 'tls.crt'), '--tls-key-file', join(dir(), 'tls.key'), '--kubeconfig', saKubeconfig];
  virtApi = startVirtApi({ port, args: virtApiArgs });
  await virtApi.waitReady(caPem);
  await applyDocs(cp, urlWebhookConfigurations(port, caPem));
});

afterAll(async () => {
  await virtApi?.stop('SIGKILL');
  await client?.close();
  await cp?.stop();
});

const setConfigMapGates = (gates: string) =>
  kubectlOk(cp, ['-n', 'kubevirt', 'patch', 'configmap', 'kubevirt-config', '--type=merge', '-p', JSON.stringify({ data: { 'feature-gates': gates } })]);

async function apply(file: string) {
  return cp.kubectl(['apply', '-f', file]);
}

/** No virt-controller runs here to drop the finalizer the mutator adds: drop it, so the VMI really goes. */
async function deleteVmi(name: string): Promise<void> {
  await kubectlOk(cp, ['delete', 'vmi', name, '-n', 'default', '--wait=false']);
  await cp.kubectl(['patch', 'vmi', name, '-n', 'default', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  await kubectlOk(cp, ['wait', '--for=delete', `vmi/${name}`, '-n', 'default', '--timeout=20s']);
}

interface StoredVmi {
  spec: {
    terminationGracePeriodSeconds?: number;
    domain: { machine?: { type?: string }; cpu?: Record<string, number>; memory?: { guest?: string }; resources?: { requests?: Record<string, string> } };
  };
}

describe('virt-api webhooks through the real API server', () => {
  it('runs with the virt-api ServiceAccount and only the RBAC of deploy/base/virt-api', async () => {
    const can = async (args: string[]) => (await cp.kubectl(['auth', 'can-i', '--as=system:serviceaccount:kubevirt:virt-api', ...args])).stdout.trim();
    expect(await can(['watch', 'configmaps', '-n', 'kubevirt'])).toBe('yes');
    expect(await can(['list', 'kubevirts.kubevirt.io', '-n', 'kubevirt'])).toBe('yes');
    expect(await can(['patch', 'validatingwebhookconfigurations/virt-api-validator'])).toBe('yes');
    expect(await can(['patch', 'validatingwebhookconfigurations/some-other-webhook'])).toBe('no');
    expect(await can(['get', 'secrets/kubevirt-virt-api-certs', '-n', 'kubevirt'])).toBe('yes');
    expect(await can(['list', 'secrets', '-n', 'kubevirt'])).toBe('no');
    expect(await can(['get', 'configmaps', '-n', 'default'])).toBe('no');
    expect(virtApi.output()).not.toMatch(/BEGIN (EC |RSA )?PRIVATE KEY/);
  });

  it('denies the QAT VMI while the gate is off: message in kubectl, field in the Status causes', async () => {
    const r = await apply(VMI_QAT);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${INVALID} spec.domain.devices.qats: ${QAT_GATE_DISABLED_MESSAGE}`);
    const err = await client.create('/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances', loadDoc('examples/vmi-qat.yaml')).then(
      () => undefined,
      (e: unknown) => e as { statusCode: number; status?: { code?: number; reason?: string; details?: { causes?: unknown[] } } },
    );
    expect(err?.statusCode).toBe(422);
    expect(err?.status?.reason).toBe('Invalid');
    expect(err?.status?.details?.causes).toEqual([{ reason: 'FieldValueInvalid', message: QAT_GATE_DISABLED_MESSAGE, field: 'spec.domain.devices.qats' }]);
  });

  it('admits it within seconds of the ConfigMap gaining the gate, with defaults from the mutating webhook', async () => {
    await setConfigMapGates('QAT');
    const t0 = Date.now();
    await eventually('vmi-qat admitted', async () => ((await apply(VMI_QAT)).code === 0 ? true : undefined), { timeoutMs: 5_000 });
    const ms = Date.now() - t0;
    console.log(`QAT VMI admitted ${ms} ms after the ConfigMap change`);
    const vmi = JSON.parse(await kubectlOk(cp, ['get', 'vmi', 'vmi-qat', '-n', 'default', '-o', 'json'])) as StoredVmi;
    expect(vmi.spec.domain.machine?.type).toBe('q35');
    expect(vmi.spec.domain.cpu).toEqual({ cores: 1, sockets: 1, threads: 1 });
    expect(vmi.spec.domain.memory?.guest).toBe('128Mi');
    expect(vmi.spec.domain.resources?.requests?.['memory']).toBe('128Mi');
    expect(vmi.spec.terminationGracePeriodSeconds).toBe(30);
  });

  it('without permittedHostDevices, a QAT deviceName must be a qat.intel.com/ resource', async () => {
    const vmi = loadDoc<{ metadata: { name: string }; spec: { domain: { devices: { qats: { deviceName: string }[] } } } }>('examples/vmi-qat.yaml');
    vmi.metadata.name = 'vmi-foreign-qat';
    vmi.spec.domain.devices.qats[0]!.deviceName = 'intel.com/qat';
    const r = await cp.kubectl(['create', '-f', '-'], { stdin: JSON.stringify(vmi) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `${INVALID} spec.domain.devices.qats[0].deviceName: spec.domain.devices.qats[0].deviceName: Invalid value: "intel.com/qat": a QAT deviceName must be a qat.intel.com/ resource (e.g. qat.intel.com/generic) unless permittedHostDevices lists it`,
    );
  });

  it('denies any change of a VMI spec, allows metadata changes', async () => {
    const r = await cp.kubectl(['patch', 'vmi', 'vmi-qat', '-n', 'default', '--type=merge', '-p', '{"spec":{"domain":{"cpu":{"cores":2}}}}']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${INVALID} spec: ${VMI_UPDATE_RESTRICTED_MESSAGE}`);
    await kubectlOk(cp, ['label', 'vmi', 'vmi-qat', '-n', 'default', 'team=crypto']);
  });

  it('follows the KubeVirt CR as a second gate source', async () => {
    await deleteVmi('vmi-qat');
    await setConfigMapGates('');
    await eventually('vmi-qat denied again', async () => ((await apply(VMI_QAT)).stderr.includes(QAT_GATE_DISABLED_MESSAGE) ? true : undefined), {
      timeoutMs: 5_000,
    });
    await kubectlOk(cp, ['apply', '-f', join(repoRoot, 'examples/kubevirt-cr.yaml')]);
    const t0 = Date.now();
    await eventually('vmi-qat admitted via the CR', async () => ((await apply(VMI_QAT)).code === 0 ? true : undefined), { timeoutMs: 5_000 });
    const ms = Date.now() - t0;
    console.log(`QAT VMI admitted ${ms} ms after the KubeVirt CR was created`);
    await deleteVmi('vmi-qat');
  });

  it('answers a body that is not an AdmissionReview with HTTP 400 and a message', async () => {
    const garbage = await httpsCall({ port, caPem, method: 'POST', path: '/virtualmachineinstances-validate-create', body: 'not json' });
    expect(garbage.status).toBe(400);
    expect(JSON.parse(garbage.body).message).toMatch(/^request body is not JSON/);
    const pod = await httpsCall({ port, caPem, method: 'POST', path: '/virtualmachines-validate', body: '{"apiVersion":"v1","kind":"Pod"}' });
    expect(pod.status).toBe(400);
    expect(JSON.parse(pod.body).message).toBe('kind must be AdmissionReview, got "Pod"');
    const metrics = await httpsCall({ port, caPem, path: '/metrics' });
    expect(metrics.body).toMatch(/^kubevirt_virt_api_up 1$/m);
    expect(metrics.body).toMatch(/qvirt_virt_api_admission_decisions_total\{webhook="vmi-create",outcome="denied"\} [1-9]/);
    expect(metrics.body).toMatch(/qvirt_virt_api_admission_decisions_total\{webhook="vmi-mutate",outcome="allowed"\} [1-9]/);
  });

  it('makes creates fail while virt-api is down (failurePolicy Fail) and pass after a restart', async () => {
    expect(await virtApi.stop('SIGKILL')).toBeNull();
    const down = await apply(VMI_PLAIN);
    expect(down.code).not.toBe(0);
    expect(down.stderr).toMatch(/failed calling webhook "virtualmachineinstances-mutator.kubevirt.io"/);
    virtApi = startVirtApi({ port, args: virtApiArgs });
    await virtApi.waitReady(caPem);
    await eventually('vmi-plain admitted after restart', async () => ((await apply(VMI_PLAIN)).code === 0 ? true : undefined), { timeoutMs: 10_000 });
  });

  it('shuts down gracefully on SIGTERM', async () => {
    const t0 = Date.now();
    expect(await virtApi.stop('SIGTERM')).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(virtApi.output()).toContain('"msg":"stopped"');
  });
});
