import type { StatusCause } from '@qvirt/api';
import { child } from '../field-path.js';
import type { SpecRule } from '../spec-view.js';

/** The one guest architecture qvirt runs, and what the defaulter sets (KubeVirt's default on an amd64 cluster). */
export const DEFAULT_ARCHITECTURE = 'amd64';

const MAX_SHOWN = 80;

/**
 * spec.architecture: absent or empty (the defaulter sets amd64, as KubeVirt's mutator does) or
 * `amd64`. KubeVirt also runs arm64 and s390x guests; qvirt's launcher builds x86_64 domains
 * only, so any other value is refused in KubeVirt's wording for an unknown architecture, with
 * the reason.
 */
export const validateArchitecture: SpecRule = (fieldPath, spec) => {
  const arch = spec.architecture;
  if (arch === undefined || arch === '' || arch === DEFAULT_ARCHITECTURE) return [];
  const shownArch = arch.length > MAX_SHOWN ? `${arch.slice(0, MAX_SHOWN)}...` : arch;
  return [unsupportedArchitecture(child(fieldPath, 'architecture'), shownArch)];
};

function unsupportedArchitecture(field: string, arch: string): StatusCause {
  return { type: 'FieldValueInvalid', field, message: `unsupported architecture: ${arch}: qvirt runs only ${DEFAULT_ARCHITECTURE} guests` };
}
