import { emptyClusterConfig } from '@qvirt/api';
import { QAT_GATE_DISABLED_MESSAGE, VMI_UPDATE_RESTRICTED_MESSAGE, applyJsonPatch } from '@qvirt/validation';
import { describe, expect, it } from 'vitest';
import { handleAdmissionReview } from './admission-handler.js';
import type { Admitter } from './admitter.js';
import { loadReview } from '../testing/reviews.js';
import { validationRules } from './validation-rules.js';
import { webhookAdmitters, WebhookPaths, type WebhookPath } from './webhooks.js';

// The admitters with the real @qvirt/validation rules, fed the golden AdmissionReviews.
const admitters = webhookAdmitters(validationRules);
const admitter = (path: WebhookPath): Admitter => admitters.get(path)!;
const off = emptyClusterConfig();
const on = emptyClusterConfig(['QAT']);

describe('admitters with the real rules', () => {
  it('one admitter per KubeVirt path', () => {
    expect([...admitters.keys()].sort()).toEqual(Object.values(WebhookPaths).sort());
    expect([...admitters.values()].map((a) => a.name).sort()).toEqual(['vm', 'vm-mutate', 'vmi-create', 'vmi-mutate', 'vmi-update']);
  });

  it('vmi-create: QAT gate off -> denied on spec.domain.devices.qats; on -> allowed', () => {
    const denied = handleAdmissionReview(loadReview('vmi-create-qat'), admitter(WebhookPaths.vmiValidateCreate), off);
    expect(denied.httpStatus === 200 && denied.review.response.status?.details?.causes).toEqual([
      { reason: 'FieldValueInvalid', type: 'FieldValueInvalid', field: 'spec.domain.devices.qats', message: QAT_GATE_DISABLED_MESSAGE },
    ]);
    const allowed = handleAdmissionReview(loadReview('vmi-create-qat'), admitter(WebhookPaths.vmiValidateCreate), on);
    expect(allowed.httpStatus === 200 && allowed.review.response.allowed).toBe(true);
  });

  it('vmi-update: a spec change is denied as in KubeVirt, a label change is not', () => {
    const spec = handleAdmissionReview(loadReview('vmi-update-spec'), admitter(WebhookPaths.vmiValidateUpdate), on);
    expect(spec.httpStatus === 200 && spec.review.response.status).toMatchObject({ code: 422, message: VMI_UPDATE_RESTRICTED_MESSAGE });
    const labels = handleAdmissionReview(loadReview('vmi-update-metadata'), admitter(WebhookPaths.vmiValidateUpdate), on);
    expect(labels.httpStatus === 200 && labels.review.response.allowed).toBe(true);
  });

  it('vmi-mutate: the patch applies to the object and yields the defaults; the defaulted VMI validates', () => {
    const review = loadReview('vmi-create-qat');
    const res = handleAdmissionReview(review, admitter(WebhookPaths.vmiMutate), on);
    if (res.httpStatus !== 200) throw new Error('expected a review');
    const ops = JSON.parse(Buffer.from(res.review.response.patch!, 'base64').toString('utf8'));
    const defaulted = applyJsonPatch(review.request.object, ops) as { spec: { domain: Record<string, unknown> } };
    expect(defaulted.spec.domain['machine']).toEqual({ type: 'q35' });
    expect(defaulted.spec.domain['cpu']).toEqual({ cores: 1, sockets: 1, threads: 1 });
    expect(validationRules.validateVmiCreate(defaulted, on)).toEqual([]);
  });

  it('vm: allowed with the gate, denied without; a VMI review on the VM path is a bad request', () => {
    expect(handleAdmissionReview(loadReview('vm-create-qat'), admitter(WebhookPaths.vmValidate), on)).toMatchObject({ outcome: 'allowed' });
    expect(handleAdmissionReview(loadReview('vm-create-qat'), admitter(WebhookPaths.vmValidate), off)).toMatchObject({ outcome: 'denied' });
    expect(handleAdmissionReview(loadReview('vmi-create-qat'), admitter(WebhookPaths.vmValidate), on)).toMatchObject({ outcome: 'badRequest' });
  });

  it('an admitter that throws is answered inside the review, not as a crash', () => {
    const boom: Admitter = {
      name: 'boom',
      admit: () => {
        throw new Error('rule bug');
      },
    };
    const errors: string[] = [];
    const res = handleAdmissionReview(loadReview('vmi-create-qat'), boom, on, (e) => errors.push(e.message));
    expect(res).toMatchObject({
      httpStatus: 200,
      outcome: 'error',
      review: { response: { allowed: false, status: { code: 500, message: 'boom admitter failed: rule bug' } } },
    });
    expect(errors).toEqual(['rule bug']);
  });
});
