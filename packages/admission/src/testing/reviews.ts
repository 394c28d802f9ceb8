import { readFileSync } from 'node:fs';

export type ReviewFixture = 'vmi-create-qat' | 'vmi-update-spec' | 'vmi-update-metadata' | 'vm-create-qat';

/**
 * A golden AdmissionReview (packages/admission/testdata/<name>.review.json, shaped as the apiserver sends them),
 * parsed afresh on every call so a test may change it without affecting others (Pepr's practice).
 */
export function loadReview(
  name: ReviewFixture,
): { request: Record<string, unknown> & { object: Record<string, unknown>; oldObject: Record<string, unknown> | null } } & Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../testdata/${name}.review.json`, import.meta.url), 'utf8'));
}
