import { vmiSpecSchema, vmSpecSchema, type ClusterConfig, type StatusCause } from '@qvirt/api';
import { capCauses, required } from './causes.js';
import { envelopeCauses, notAnObject } from './envelope.js';
import { hookSidecarCauses } from './rules/hook-sidecars.rule.js';
import { validateRunStrategy } from './rules/run-strategy.rule.js';
import { checkShape } from './shape.js';
import { isRecord, own } from './untrusted.js';
import { validateVmiSpec } from './vmi-spec.validator.js';

const TEMPLATE_SPEC_PATH = 'spec.template.spec';
const templateSpecIsOwnCheck = new Set([vmiSpecSchema]);

/**
 * A VM on create or update: its own fields (running / runStrategy, template shape) and its
 * template's spec with every VMI rule at `spec.template.spec`.
 */
export function validateVm(vm: unknown, config: ClusterConfig): StatusCause[] {
  if (!isRecord(vm)) return [notAnObject('VirtualMachine', vm)];
  const causes = envelopeCauses(vm);
  const spec = own(vm, 'spec');
  if (spec === undefined) {
    causes.push(required('spec'));
    return causes;
  }
  // The template spec is left to validateVmiSpec, so its problems are reported once.
  causes.push(...checkShape('spec', spec, vmSpecSchema, { opaque: templateSpecIsOwnCheck }).causes);
  if (isRecord(spec)) {
    causes.push(...validateRunStrategy('spec', spec));
    const template = own(spec, 'template');
    if (isRecord(template)) causes.push(...hookSidecarCauses('spec.template.metadata', own(template, 'metadata')));
    const templateSpec = isRecord(template) ? own(template, 'spec') : undefined;
    if (templateSpec !== undefined) causes.push(...validateVmiSpec(TEMPLATE_SPEC_PATH, templateSpec, config));
  }
  return capCauses(causes, 'spec');
}
