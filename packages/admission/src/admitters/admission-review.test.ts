import { describe, expect, it } from 'vitest';
import type { JsonPatchOperation } from '@qvirt/validation';
import {
  AdmissionReviewError,
  allowedReview,
  badRequestReview,
  decodeAdmissionReview,
  deniedReview,
  encodeAdmissionReview,
  type AdmissionReviewResponse,
} from './admission-review.js';
import { loadReview } from '../testing/reviews.js';

describe('decodeAdmissionReview', () => {
  it('decodes the apiserver golden review', () => {
    const req = decodeAdmissionReview(loadReview('vmi-create-qat'));
    expect(req).toMatchObject({
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      operation: 'CREATE',
      namespace: 'default',
      name: 'vmi-qat',
      resource: { group: 'kubevirt.io', version: 'v1', resource: 'virtualmachineinstances' },
      kind: { group: 'kubevirt.io', kind: 'VirtualMachineInstance' },
    });
    expect(req.oldObject).toBeUndefined(); // null in the JSON
    expect((req.object as { metadata: { name: string } }).metadata.name).toBe('vmi-qat');
  });

  it.each([
    ['not an object', [1, 2], /body must be a JSON object/],
    ['wrong kind', { kind: 'Pod', apiVersion: 'v1' }, /kind must be AdmissionReview, got "Pod"/],
    [
      'v1beta1',
      { kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1beta1', request: {} },
      /apiVersion must be admission.k8s.io\/v1, got "admission.k8s.io\/v1beta1"/,
    ],
    ['no request', { kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1' }, /request must be an object/],
  ])('rejects %s', (_name, body, message) => {
    expect(() => decodeAdmissionReview(body)).toThrow(AdmissionReviewError);
    expect(() => decodeAdmissionReview(body)).toThrow(message);
  });

  it('names the missing or malformed request field', () => {
    const noUid = loadReview('vmi-create-qat');
    delete noUid.request['uid'];
    expect(() => decodeAdmissionReview(noUid)).toThrow('request.uid must be a non-empty string');
    const badOp = loadReview('vmi-create-qat');
    badOp.request['operation'] = 'PATCH';
    expect(() => decodeAdmissionReview(badOp)).toThrow('request.operation must be one of CREATE, UPDATE, DELETE, CONNECT, got "PATCH"');
    const badResource = loadReview('vmi-create-qat');
    badResource.request['resource'] = { group: 'kubevirt.io', version: 'v1' };
    expect(() => decodeAdmissionReview(badResource)).toThrow('request.resource.resource must be a non-empty string');
    const badNs = loadReview('vmi-create-qat');
    badNs.request['namespace'] = 7;
    expect(() => decodeAdmissionReview(badNs)).toThrow('request.namespace must be a string');
  });
});

describe('encoding', () => {
  it('denies as KubeVirt: 422 Invalid, messages joined by ", ", causes in details', () => {
    const review = deniedReview('u1', [
      { type: 'FieldValueInvalid', field: 'spec.domain.devices.qats', message: 'QAT feature gate is not enabled in kubevirt-config' },
      { type: 'FieldValueDuplicate', field: 'spec.domain.devices.qats[1].name', message: 'duplicate name qat1' },
    ]);
    expect(review).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'u1',
        allowed: false,
        status: {
          code: 422,
          reason: 'Invalid',
          message: 'QAT feature gate is not enabled in kubevirt-config, duplicate name qat1',
          details: {
            // `reason` is metav1.StatusCause's JSON name for the type (what the apiserver reads)
            causes: [
              {
                reason: 'FieldValueInvalid',
                type: 'FieldValueInvalid',
                field: 'spec.domain.devices.qats',
                message: 'QAT feature gate is not enabled in kubevirt-config',
              },
              { reason: 'FieldValueDuplicate', type: 'FieldValueDuplicate', field: 'spec.domain.devices.qats[1].name', message: 'duplicate name qat1' },
            ],
          },
        },
      },
    });
  });

  it('allows with a base64 JSONPatch, or without patch fields when nothing changes', () => {
    const ops: JsonPatchOperation[] = [{ op: 'add', path: '/spec/domain/machine', value: { type: 'q35' } }];
    const review = allowedReview('u2', ops);
    expect(review.response.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(review.response.patch!, 'base64').toString('utf8'))).toEqual(ops);
    expect(allowedReview('u3', [])).toEqual({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u3', allowed: true } });
  });

  it('encodes every kind of review as the JSON of the review itself', () => {
    const ops: JsonPatchOperation[] = [{ op: 'add', path: '/metadata/annotations/a~1"b', value: { text: 'quote " and \\ and ünïcode' } }];
    const reviews = [
      allowedReview('u"1', ops),
      allowedReview('u2'),
      deniedReview('u3', [{ type: 'FieldValueInvalid', message: 'bad "x"', field: 'spec.domain' }]),
      badRequestReview('u4', 'wrong kind'),
      { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u5\n', allowed: false } },
      { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u6', allowed: true, warnings: ['w "1"'] } },
    ] satisfies AdmissionReviewResponse[];
    for (const review of reviews) expect(JSON.parse(encodeAdmissionReview(review))).toEqual(review);
    const patch = JSON.parse(encodeAdmissionReview(reviews[0]!)).response.patch as string;
    expect(JSON.parse(Buffer.from(patch, 'base64').toString('utf8'))).toEqual(ops);
  });
});
