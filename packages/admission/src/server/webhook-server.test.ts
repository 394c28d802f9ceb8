import { emptyClusterConfig, type ClusterConfig, type StatusCause } from '@qvirt/api';
import { createCA, issueCert } from '@qvirt/pki';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookAdmitters, WebhookPaths, type AdmissionRules } from '../admitters/webhooks.js';
import { loadReview } from '../testing/reviews.js';
import { createApiMetrics } from './api-metrics.js';
import { createWebhookServer, type WebhookServer } from './webhook-server.js';

// Small stand-in rules: this suite is about the HTTP layer; the real rules run in the integration suite.
const qatCause: StatusCause = { type: 'FieldValueInvalid', field: 'spec.domain.devices.qats', message: 'QAT feature gate is not enabled in kubevirt-config' };
const rules: AdmissionRules = {
  validateVmiCreate: (vmi, config) =>
    (vmi as { spec: { domain: { devices: { qats?: unknown[] } } } }).spec.domain.devices.qats?.length && !config.featureGates.has('QAT') ? [qatCause] : [],
  validateVmiUpdate: () => [],
  validateVm: () => [],
  defaultVmi: (_vmi, config) => [{ op: 'add', path: '/spec/domain/machine', value: { type: config.machineType } }],
  defaultVm: () => [],
};

let server: WebhookServer;
let config: ClusterConfig = emptyClusterConfig();
let synced = true;
const metrics = createApiMetrics();

beforeAll(async () => {
  const ca = await createCA({ commonName: 'test-ca', validityDays: 1 });
  const tls = await issueCert({ ca, commonName: 'localhost', dnsNames: ['localhost'], usage: 'server', validityDays: 1 });
  server = await createWebhookServer({
    logger: pino({ level: 'silent' }),
    tls: { certPem: tls.certPem, keyPem: tls.keyPem },
    admitters: webhookAdmitters(rules),
    clusterConfig: { current: () => config, hasSynced: () => synced },
    metrics,
    bodyLimitBytes: 64 * 1024,
  });
});
afterAll(() => server.close());

const post = (url: string, payload: string | object, contentType = 'application/json') =>
  server.app.inject({
    method: 'POST',
    url,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { 'content-type': contentType },
  });

describe('webhook server', () => {
  it('denies a QAT VMI with the gate off (HTTP 200, uid echoed, 422 Invalid)', async () => {
    config = emptyClusterConfig();
    const res = await post(WebhookPaths.vmiValidateCreate, loadReview('vmi-create-qat'));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.apiVersion).toBe('admission.k8s.io/v1');
    expect(body.response).toMatchObject({
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      allowed: false,
      status: { code: 422, reason: 'Invalid', message: qatCause.message, details: { causes: [{ ...qatCause, reason: qatCause.type }] } },
    });
  });

  it('admits it once the config has the gate, and mutates with a JSON patch', async () => {
    config = emptyClusterConfig(['QAT']);
    expect((await post(WebhookPaths.vmiValidateCreate, loadReview('vmi-create-qat'))).json().response).toEqual({
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      allowed: true,
    });
    const mutated = (await post(WebhookPaths.vmiMutate, loadReview('vmi-create-qat'))).json().response;
    expect(mutated.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(mutated.patch, 'base64').toString())).toEqual([{ op: 'add', path: '/spec/domain/machine', value: { type: 'q35' } }]);
  });

  it('answers a VM review sent to the VMI path inside the review (400 BadRequest), not as an HTTP error', async () => {
    const res = await post(WebhookPaths.vmiValidateCreate, loadReview('vm-create-qat'));
    expect(res.statusCode).toBe(200);
    expect(res.json().response).toMatchObject({
      allowed: false,
      status: { code: 400, message: 'expected resource kubevirt.io/virtualmachineinstances, got kubevirt.io/virtualmachines' },
    });
  });

  it.each([
    ['invalid JSON', '{"kind": ', 'application/json', /request body is not JSON/],
    ['an empty body', '', 'application/json', /request body is empty/],
    ['a JSON array', '[]', 'application/json', /body must be a JSON object/],
    ['a Pod', { kind: 'Pod', apiVersion: 'v1' }, 'application/json', /kind must be AdmissionReview/],
    ['text/plain garbage', 'hello', 'text/plain', /request body is not JSON/],
    ['a body over the limit', JSON.stringify({ kind: 'AdmissionReview', pad: 'x'.repeat(70 * 1024) }), 'application/json', /larger than the 65536 byte limit/],
  ])('answers %s with HTTP 400 and a message', async (_name, payload, contentType, message) => {
    const res = await post(WebhookPaths.vmiValidateCreate, payload, contentType);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(message);
  });

  it('answers 503 while the cluster config has not synced, and /readyz says why', async () => {
    synced = false;
    try {
      expect((await post(WebhookPaths.vmiValidateCreate, loadReview('vmi-create-qat'))).statusCode).toBe(503);
      const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ ready: false, checks: { clusterConfigSynced: false, notShuttingDown: true } });
    } finally {
      synced = true;
    }
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('exposes kubevirt_virt_api_up, latency per path and decision counts', async () => {
    const text = (await server.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/^kubevirt_virt_api_up 1$/m);
    expect(text).toMatch(/qvirt_virt_api_request_duration_seconds_count\{path="\/virtualmachineinstances-validate-create",code="200"\} [1-9]/);
    // Bad bodies are timed too (answered by the error handler, not the route).
    expect(text).toMatch(/qvirt_virt_api_request_duration_seconds_count\{path="[^"]+",code="400"\} [1-9]/);
    expect(text).toMatch(/qvirt_virt_api_request_duration_seconds_count\{path="\/readyz",code="503"\} [1-9]/);
    expect(text).toMatch(/qvirt_virt_api_admission_decisions_total\{webhook="vmi-create",outcome="denied"\} [1-9]/);
    expect(text).toMatch(/qvirt_virt_api_admission_decisions_total\{webhook="vmi-create",outcome="invalidReview"\} [1-9]/);
    // Every outcome of every webhook is there from the start, at 0 until it happens.
    expect(text).toMatch(/^qvirt_virt_api_admission_decisions_total\{webhook="vm-mutate",outcome="error"\} 0$/m);
  });

  it('404s unknown paths with a message', async () => {
    const res = await post('/nope', {});
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe('no webhook at POST /nope');
  });
});
