import { describe, expect, it } from 'vitest';
import { gatesOff, gatesOn, vmiQat } from './testing/fixtures.js';
import { validateVmiCreate, validateVmiUpdate } from './vmi.validator.js';

describe('validateVmiCreate', () => {
  it('accepts the QAT example with the gate on and denies it with exactly the contract cause when off', () => {
    expect(validateVmiCreate(vmiQat(), gatesOn())).toEqual([]);
    expect(validateVmiCreate(vmiQat(), gatesOff())).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.domain.devices.qats', message: 'QAT feature gate is not enabled in kubevirt-config' },
    ]);
  });

  it('reports a missing or mistyped spec and envelope fields', () => {
    expect(validateVmiCreate({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: [] }, gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: 'metadata', message: 'metadata: Invalid value: "array": must be of type object' },
      { type: 'FieldValueRequired', field: 'spec', message: 'spec: Required value' },
    ]);
    expect(validateVmiCreate({ spec: [] }, gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: 'spec', message: 'spec: Invalid value: "array": must be of type object' },
    ]);
    expect(validateVmiCreate('vmi', gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: '', message: 'Invalid value: string: a VirtualMachineInstance must be an object' },
    ]);
  });
});

describe('validateVmiUpdate', () => {
  it('allows metadata and status changes', () => {
    const before = vmiQat();
    const after = { ...vmiQat(), metadata: { ...before.metadata, labels: { a: 'b' } }, status: { phase: 'Running' as const } };
    expect(validateVmiUpdate(before, after, gatesOn())).toEqual([]);
  });

  it('ignores key order in the spec', () => {
    const before = vmiQat();
    const after = vmiQat();
    after.spec = { domain: after.spec.domain, terminationGracePeriodSeconds: 30 };
    expect(validateVmiUpdate(before, after, gatesOn())).toEqual([]);
  });

  it("denies any spec change with KubeVirt's cause", () => {
    const after = vmiQat();
    after.spec.domain.devices.qats = [];
    expect(validateVmiUpdate(vmiQat(), after, gatesOn())).toEqual([
      { type: 'FieldValueNotSupported', field: 'spec', message: 'update of VMI object is restricted' },
    ]);
  });

  it('answers non-objects with a cause', () => {
    expect(validateVmiUpdate(vmiQat(), null, gatesOn())[0]?.message).toBe('Invalid value: null: a VirtualMachineInstance must be an object');
  });
});
