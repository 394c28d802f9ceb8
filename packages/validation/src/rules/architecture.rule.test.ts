import { describe, expect, it } from 'vitest';
import { gatesOn } from '../testing/fixtures.js';
import { validateVmiSpec } from '../vmi-spec.validator.js';

const spec = (architecture?: unknown): Record<string, unknown> => ({
  domain: { memory: { guest: '1Gi' }, devices: {} },
  ...(architecture === undefined ? {} : { architecture }),
});

describe('spec.architecture', () => {
  it.each<[string, unknown]>([
    ['absent (the defaulter sets amd64)', undefined],
    ['empty (the defaulter sets amd64)', ''],
    ['amd64', 'amd64'],
  ])('is admitted when %s', (_, architecture) => {
    expect(validateVmiSpec('spec', spec(architecture), gatesOn())).toEqual([]);
  });

  it.each(['arm64', 's390x', 'ppc64le', 'x86_64', 'AMD64'])("refuses %j in KubeVirt's wording, saying qvirt runs only amd64", (architecture) => {
    expect(validateVmiSpec('spec', spec(architecture), gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.architecture', message: `unsupported architecture: ${architecture}: qvirt runs only amd64 guests` },
    ]);
  });

  it('names the field under a VM template', () => {
    expect(validateVmiSpec('spec.template.spec', spec('arm64'), gatesOn()).map((c) => c.field)).toEqual(['spec.template.spec.architecture']);
  });

  it('cuts a huge value short in the message', () => {
    const [cause] = validateVmiSpec('spec', spec('a'.repeat(100_000)), gatesOn());
    expect(cause?.message).toBe(`unsupported architecture: ${'a'.repeat(80)}...: qvirt runs only amd64 guests`);
  });

  it('leaves a value of the wrong type to the shape check (one cause)', () => {
    expect(validateVmiSpec('spec', spec(64), gatesOn())).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.architecture', message: 'spec.architecture: Invalid value: 64: must be of type string' },
    ]);
  });
});
