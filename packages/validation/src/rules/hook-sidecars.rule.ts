import type { StatusCause } from '@qvirt/api';
import { isRecord, own } from '../untrusted.js';

/** KubeVirt's annotation asking for hook sidecar containers in the launcher pod. */
export const HOOK_SIDECARS_ANNOTATION = 'hooks.kubevirt.io/hookSidecars';

/**
 * A VMI's (or a VM template's) metadata at `fieldPath`: hook sidecars would rewrite the domain
 * from a container in the launcher pod, and qvirt runs none, so the annotation is refused rather
 * than ignored.
 */
export function hookSidecarCauses(fieldPath: string, metadata: unknown): StatusCause[] {
  const annotations = isRecord(metadata) ? own(metadata, 'annotations') : undefined;
  if (!isRecord(annotations) || own(annotations, HOOK_SIDECARS_ANNOTATION) === undefined) return [];
  const field = `${fieldPath}.annotations[${HOOK_SIDECARS_ANNOTATION}]`;
  return [{ type: 'FieldValueNotSupported', field, message: `${field}: not supported by qvirt: launcher pods run no hook sidecars; remove the annotation` }];
}
