import { describe, expect, it } from 'vitest';
import { gatesOff, gatesOn, vmiQat } from './testing/fixtures.js';
import { validateVm } from './vm.validator.js';

const vm = (spec: unknown) => ({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'vm' }, spec });
const template = () => ({ metadata: { labels: { app: 'x' } }, spec: vmiQat().spec });

describe('validateVm', () => {
  it('validates the template spec at spec.template.spec', () => {
    expect(validateVm(vm({ runStrategy: 'Always', template: template() }), gatesOn())).toEqual([]);
    expect(validateVm(vm({ runStrategy: 'Always', template: template() }), gatesOff())).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.template.spec.domain.devices.qats', message: 'QAT feature gate is not enabled in kubevirt-config' },
    ]);
  });

  it('denies running with runStrategy, and an unsupported runStrategy once', () => {
    expect(validateVm(vm({ running: true, runStrategy: 'Always', template: template() }), gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.running', message: 'Running and RunStrategy are mutually exclusive' },
    ]);
    expect(validateVm(vm({ runStrategy: 'Sometimes', template: template() }), gatesOn())).toEqual([
      {
        type: 'FieldValueNotSupported',
        field: 'spec.runStrategy',
        message: 'spec.runStrategy: Unsupported value: "Sometimes": supported values: "Always", "Halted", "Manual", "RerunOnFailure", "Once"',
      },
    ]);
  });

  it('reports a missing template or template spec once', () => {
    expect(validateVm(vm({ running: false }), gatesOn())).toEqual([
      { type: 'FieldValueRequired', field: 'spec.template', message: 'spec.template: Required value' },
    ]);
    expect(validateVm(vm({ running: false, template: {} }), gatesOn())).toEqual([
      { type: 'FieldValueRequired', field: 'spec.template.spec', message: 'spec.template.spec: Required value' },
    ]);
    expect(validateVm(vm({ running: false, template: { spec: null } }), gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.template.spec', message: 'spec.template.spec: Invalid value: "null": must be of type object' },
    ]);
  });
});
