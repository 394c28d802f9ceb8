import { describe, expect, it } from 'vitest';
import {
  aliasNameErrors,
  dns1123LabelErrors,
  extendedResourceNameErrors,
  isAliasName,
  isDns1123Label,
  isExtendedResourceName,
  qualifiedNameErrors,
} from './names.js';

describe('Kubernetes name rules', () => {
  it.each(['a', 'qat1', 'qat-cy', '0', 'a'.repeat(63)])('label %j is valid', (v) => expect(dns1123LabelErrors(v)).toEqual([]));
  it.each(['', 'Qat', 'qat_1', '-a', 'a-', 'a.b'])('label %j is not', (v) => expect(dns1123LabelErrors(v)).toHaveLength(1));

  it("says a dotted name (a subdomain, not a label) must not contain dots, as Kubernetes' IsDNS1123Label", () => {
    expect(dns1123LabelErrors('a.b')).toEqual(['must not contain dots']);
    expect(dns1123LabelErrors('A.b')[0]).toMatch(/^a lowercase RFC 1123 label must consist of/);
  });

  it('checks the length before the regex', () => {
    expect(dns1123LabelErrors('a'.repeat(1_000_000))).toEqual(['must be no more than 63 characters']);
  });

  it.each(['qat.intel.com/generic', 'devices.kubevirt.io/kvm', 'nvidia.com/TU104GL_Tesla_T4', 'example.com/My.Name'])('extended resource %j is valid', (v) =>
    expect(extendedResourceNameErrors(v)).toEqual([]),
  );

  it('reports every qualified-name problem', () => {
    expect(qualifiedNameErrors('a/b/c')[0]).toMatch(/^a qualified name must consist of/);
    expect(qualifiedNameErrors('/x')).toEqual(['prefix part must be non-empty']);
    expect(qualifiedNameErrors(`example.com/${'n'.repeat(64)}`)).toEqual(['name part must be no more than 63 characters']);
    expect(extendedResourceNameErrors('foo.kubernetes.io/x')).toEqual([
      "the kubernetes.io domain is reserved for Kubernetes' native resources; an extended resource must use another domain",
    ]);
  });

  it('the valid-case checks agree with the error lists (they are what the admission path calls)', () => {
    const names = [
      '',
      'a',
      'qat1',
      'Qat',
      'a-',
      'a.b',
      'a'.repeat(63),
      'a'.repeat(64),
      'qat.intel.com/generic',
      'devices.kubevirt.io/kvm',
      'nvidia.com/TU104GL_Tesla_T4',
    ];
    const resources = [
      ...names,
      'generic',
      '/x',
      'a/b/c',
      'example.com/',
      'foo.kubernetes.io/x',
      'kubernetes.io/x',
      'requests.qat.intel.com/x',
      'Example.com/x',
      `example.com/${'n'.repeat(64)}`,
      'ex_ample.com/x',
    ];
    for (const v of names) expect(isDns1123Label(v), v).toBe(dns1123LabelErrors(v).length === 0);
    for (const v of [...names, 'GPU1', 'hostdev_name0', 'a b', 'gpü']) expect(isAliasName(v), v).toBe(aliasNameErrors(v, 'ua-x-').length === 0);
    for (const v of resources) expect(isExtendedResourceName(v), v).toBe(extendedResourceNameErrors(v).length === 0);
  });
});
