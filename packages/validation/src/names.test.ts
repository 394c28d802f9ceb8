import { describe, expect, it } from 'vitest';
import { dns1123LabelErrors, extendedResourceNameErrors, qualifiedNameErrors } from './names.js';

describe('Kubernetes name rules', () => {
  it.each(['a', 'qat1', 'qat-cy', '0', 'a'.repeat(63)])('label %j is valid', (v) => expect(dns1123LabelErrors(v)).toEqual([]));
  it.each(['', 'Qat', 'qat_1', '-a', 'a-', 'a.b'])('label %j is not', (v) => expect(dns1123LabelErrors(v)).toHaveLength(1));

  it('checks the length before the regex', () => {
    expect(dns1123LabelErrors('a'.repeat(1_000_000))).toEqual(['must be no more than 63 characters']);
  });

  it.each(['qat.intel.com/generic', 'devices.kubevirt.io/kvm', 'nvidia.com/TU104GL_Tesla_T4', 'example.com/My.Name'])(
    'extended resource %j is valid',
    (v) => expect(extendedResourceNameErrors(v)).toEqual([]),
  );

  it('reports every qualified-name problem', () => {
    expect(qualifiedNameErrors('a/b/c')[0]).toMatch(/^a qualified name must consist of/);
    expect(qualifiedNameErrors('/x')).toEqual(['prefix part must be non-empty']);
    expect(qualifiedNameErrors(`example.com/${'n'.repeat(64)}`)).toEqual(['name part must be no more than 63 characters']);
    expect(extendedResourceNameErrors('foo.kubernetes.io/x')).toEqual([
      "the kubernetes.io domain is reserved for Kubernetes' native resources; an extended resource must use another domain",
    ]);
  });
});
