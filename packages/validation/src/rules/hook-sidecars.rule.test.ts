import { describe, expect, it } from 'vitest';
import { gatesOn, vmiQat } from '../testing/fixtures.js';
import { validateVm } from '../vm.validator.js';
import { validateVmiCreate } from '../vmi.validator.js';
import { HOOK_SIDECARS_ANNOTATION } from './hook-sidecars.rule.js';

const hooks = { [HOOK_SIDECARS_ANNOTATION]: '[{"image": "quay.io/kubevirt/example-hook-sidecar:latest"}]' };

describe('hook sidecars', () => {
  it('refuses a VMI asking for them, naming the annotation', () => {
    const vmi = vmiQat();
    vmi.metadata.annotations = { ...hooks, other: 'kept' };
    expect(validateVmiCreate(vmi, gatesOn())).toEqual([
      {
        type: 'FieldValueNotSupported',
        field: 'metadata.annotations[hooks.kubevirt.io/hookSidecars]',
        message: 'metadata.annotations[hooks.kubevirt.io/hookSidecars]: not supported by qvirt: launcher pods run no hook sidecars; remove the annotation',
      },
    ]);
  });

  it('refuses a VM whose template asks for them, and admits other annotations', () => {
    const vm = (annotations: Record<string, string>) => ({
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'vm', annotations: hooks }, // on the VM itself it reaches no launcher: no cause
      spec: { runStrategy: 'Always', template: { metadata: { annotations }, spec: vmiQat().spec } },
    });
    expect(validateVm(vm(hooks), gatesOn()).map((c) => c.field)).toEqual(['spec.template.metadata.annotations[hooks.kubevirt.io/hookSidecars]']);
    expect(validateVm(vm({ 'example.com/owner': 'team-a' }), gatesOn())).toEqual([]);
  });
});
