import type { ClusterConfig } from '@qvirt/api';
import {
  AdmissionReviewError,
  allowedReview,
  badRequestReview,
  decodeAdmissionReview,
  deniedReview,
  type AdmissionRequest,
  type AdmissionReviewResponse,
} from './admission-review.js';
import type { AdmissionDecision, Admitter } from './admitter.js';

export type HandledOutcome = 'allowed' | 'denied' | 'badRequest' | 'error';

/** The outcome of one webhook call: a review to send with HTTP 200, or HTTP 400 with a message. */
export type HandledReview =
  { httpStatus: 200; review: AdmissionReviewResponse; request: AdmissionRequest; outcome: HandledOutcome } | { httpStatus: 400; message: string };

/**
 * The one shared piece every webhook path goes through: decode the AdmissionReview,
 * run the admitter, echo the uid, encode the answer. An admitter that throws is a bug in
 * a rule, not in the request: it is answered inside the review (code 500) so the
 * apiserver reports it, and the caller logs it.
 */
export function handleAdmissionReview(
  body: unknown,
  admitter: Admitter,
  config: ClusterConfig,
  onAdmitterError?: (err: Error, request: AdmissionRequest) => void,
): HandledReview {
  let request: AdmissionRequest;
  try {
    request = decodeAdmissionReview(body);
  } catch (err) {
    if (err instanceof AdmissionReviewError) return { httpStatus: 400, message: err.message };
    throw err;
  }
  let decision: AdmissionDecision;
  try {
    decision = admitter.admit(request, config);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    onAdmitterError?.(e, request);
    return {
      httpStatus: 200,
      request,
      outcome: 'error',
      review: {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: {
          uid: request.uid,
          allowed: false,
          status: { code: 500, reason: 'InternalError', message: `${admitter.name} admitter failed: ${e.message}` },
        },
      },
    };
  }
  switch (decision.kind) {
    case 'allow':
      return { httpStatus: 200, request, outcome: 'allowed', review: allowedReview(request.uid, decision.patch) };
    case 'deny':
      return { httpStatus: 200, request, outcome: 'denied', review: deniedReview(request.uid, decision.causes) };
    case 'badRequest':
      return { httpStatus: 200, request, outcome: 'badRequest', review: badRequestReview(request.uid, decision.message) };
  }
}
