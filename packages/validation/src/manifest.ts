import { GROUP_VERSION, type ClusterConfig, type StatusCause } from '@qvirt/api';
import { notAnObject } from './envelope.js';
import { isRecord, own } from './untrusted.js';
import { applyJsonPatch } from './json-patch.js';
import { defaultVm, defaultVmi } from './vmi-spec.defaulter.js';
import { validateVm } from './vm.validator.js';
import { validateVmiCreate } from './vmi.validator.js';
import { notSupported } from './causes.js';

export const MANIFEST_KINDS = ['VirtualMachineInstance', 'VirtualMachine'] as const;

export interface ManifestResult {
  /** The manifest's kind as written ('' when it has none that is a string). */
  kind: string;
  causes: StatusCause[];
}

/**
 * What the webhook chain would answer for creating this manifest: defaults first (the mutating
 * webhook's patch), then the validating webhook's rules. For a VMI or a VM of kubevirt.io/v1;
 * any other apiVersion or kind is a cause on that field.
 */
export function validateManifest(doc: unknown, config: ClusterConfig): ManifestResult {
  if (!isRecord(doc)) return { kind: '', causes: [notAnObject('manifest', doc)] };
  const kindValue = own(doc, 'kind');
  const kind = typeof kindValue === 'string' ? kindValue : '';
  const causes: StatusCause[] = [];
  const apiVersion = own(doc, 'apiVersion');
  if (apiVersion !== GROUP_VERSION) causes.push(notSupported('apiVersion', apiVersion ?? '', [GROUP_VERSION]));
  if (kind === 'VirtualMachineInstance') {
    causes.push(...validateVmiCreate(applyJsonPatch(doc, defaultVmi(doc, config)), config));
  } else if (kind === 'VirtualMachine') {
    causes.push(...validateVm(applyJsonPatch(doc, defaultVm(doc, config)), config));
  } else {
    causes.push(notSupported('kind', kindValue ?? '', MANIFEST_KINDS));
  }
  return { kind, causes };
}
