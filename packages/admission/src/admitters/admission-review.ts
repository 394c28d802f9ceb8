import type { StatusCause } from '@qvirt/api';
import { jsonPatchBase64, jsonString, type JsonPatchOperation } from '@qvirt/validation';

// admission.k8s.io/v1 AdmissionReview: the slice the webhooks read and write.

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: AdmissionOperation;
  userInfo?: { username?: string; uid?: string; groups?: string[] };
  object?: unknown;
  oldObject?: unknown;
  dryRun?: boolean;
}

/**
 * metav1.StatusCause on the wire: Go's `Type` field is serialised as `reason`, which is what the
 * apiserver reads (and shows to clients). `type` repeats it under the name of Go's field and of
 * our StatusCause; the apiserver ignores it.
 */
export interface WireStatusCause extends StatusCause {
  reason: StatusCause['type'];
}

export interface AdmissionStatus {
  code: number;
  reason: string;
  message: string;
  details?: { causes: WireStatusCause[] };
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: AdmissionStatus;
  /** The JSON patch, base64 (RFC 4648: nothing in it needs escaping in JSON). */
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
}

export interface AdmissionReviewResponse {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

/** The body is not an AdmissionReview this server can answer: HTTP 400 with this message. */
export class AdmissionReviewError extends Error {
  override name = 'AdmissionReviewError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requireString(obj: Record<string, unknown>, key: string, path: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v === '') throw new AdmissionReviewError(`${path}.${key} must be a non-empty string`);
  return v;
}

function gvk(v: unknown, path: string): GroupVersionKind {
  if (!isRecord(v)) throw new AdmissionReviewError(`${path} must be an object with group, version and kind`);
  const group = v['group'] ?? '';
  if (typeof group !== 'string') throw new AdmissionReviewError(`${path}.group must be a string`);
  return { group, version: requireString(v, 'version', path), kind: requireString(v, 'kind', path) };
}

function gvr(v: unknown, path: string): GroupVersionResource {
  if (!isRecord(v)) throw new AdmissionReviewError(`${path} must be an object with group, version and resource`);
  const group = v['group'] ?? '';
  if (typeof group !== 'string') throw new AdmissionReviewError(`${path}.group must be a string`);
  return { group, version: requireString(v, 'version', path), resource: requireString(v, 'resource', path) };
}

function optionalString(obj: Record<string, unknown>, key: string, path: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new AdmissionReviewError(`${path}.${key} must be a string`);
  return v;
}

/**
 * Checks that a parsed body is an admission.k8s.io/v1 AdmissionReview with a request,
 * and returns the request. Throws AdmissionReviewError naming the first bad field.
 */
export function decodeAdmissionReview(body: unknown): AdmissionRequest {
  if (!isRecord(body)) throw new AdmissionReviewError('body must be a JSON object (an admission.k8s.io/v1 AdmissionReview)');
  if (body['kind'] !== 'AdmissionReview') {
    throw new AdmissionReviewError(`kind must be AdmissionReview, got ${JSON.stringify(body['kind'] ?? null)}`);
  }
  if (body['apiVersion'] !== ADMISSION_API_VERSION) {
    throw new AdmissionReviewError(`apiVersion must be ${ADMISSION_API_VERSION}, got ${JSON.stringify(body['apiVersion'] ?? null)}`);
  }
  const req = body['request'];
  if (!isRecord(req)) throw new AdmissionReviewError('request must be an object');
  const uid = requireString(req, 'uid', 'request');
  const operation = requireString(req, 'operation', 'request');
  if (!OPERATIONS.includes(operation)) {
    throw new AdmissionReviewError(`request.operation must be one of ${OPERATIONS.join(', ')}, got ${JSON.stringify(operation)}`);
  }
  const decoded: AdmissionRequest = {
    uid,
    kind: gvk(req['kind'], 'request.kind'),
    resource: gvr(req['resource'], 'request.resource'),
    operation: operation as AdmissionOperation,
    object: req['object'] ?? undefined,
    oldObject: req['oldObject'] ?? undefined,
  };
  const subResource = optionalString(req, 'subResource', 'request');
  const name = optionalString(req, 'name', 'request');
  const namespace = optionalString(req, 'namespace', 'request');
  if (subResource !== undefined) decoded.subResource = subResource;
  if (name !== undefined) decoded.name = name;
  if (namespace !== undefined) decoded.namespace = namespace;
  if (req['dryRun'] === true) decoded.dryRun = true;
  if (isRecord(req['userInfo'])) decoded.userInfo = req['userInfo'] as AdmissionRequest['userInfo'];
  return decoded;
}

function review(response: AdmissionResponse): AdmissionReviewResponse {
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response };
}

export function allowedReview(uid: string, patch?: readonly JsonPatchOperation[]): AdmissionReviewResponse {
  if (patch === undefined || patch.length === 0) return review({ uid, allowed: true });
  return review({
    uid,
    allowed: true,
    patchType: 'JSONPatch',
    patch: jsonPatchBase64(patch),
  });
}

const REVIEW_HEAD = `{"apiVersion":"${ADMISSION_API_VERSION}","kind":"AdmissionReview","response":{"uid":`;

/**
 * The review as the JSON text to send. An answer without a status (allowed, maybe with a patch)
 * is written out directly: it is nearly every answer, and JSON.stringify's generic walk cost more
 * than the rest of a validating answer's encoding (ADR 0009).
 */
export function encodeAdmissionReview(review: AdmissionReviewResponse): string {
  const r = review.response;
  if (r.status !== undefined || r.warnings !== undefined) return JSON.stringify(review);
  const patchType = r.patchType === undefined ? '' : `,"patchType":"${r.patchType}"`;
  const patch = r.patch === undefined ? '' : `,"patch":"${r.patch}"`;
  return `${REVIEW_HEAD}${jsonString(r.uid)},"allowed":${r.allowed}${patchType}${patch}}}`;
}

/** KubeVirt's denial: 422 Invalid, message = causes joined by ", " (ADR 0006). */
export function deniedReview(uid: string, causes: readonly StatusCause[]): AdmissionReviewResponse {
  const list = causes.map((c) => ({ reason: c.type, type: c.type, message: c.message, field: c.field }));
  return review({
    uid,
    allowed: false,
    status: {
      code: 422,
      reason: 'Invalid',
      message: list.map((c) => c.message).join(', '),
      details: { causes: list },
    },
  });
}

/** A well-formed review this webhook cannot judge (wrong kind for the path, missing object). */
export function badRequestReview(uid: string, message: string): AdmissionReviewResponse {
  return review({ uid, allowed: false, status: { code: 400, reason: 'BadRequest', message } });
}
