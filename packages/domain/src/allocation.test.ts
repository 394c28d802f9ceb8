import { describe, expect, it } from 'vitest';
import { allocationFromEnv } from './allocation.js';
import { AllocationError } from './errors.js';

const GENERIC = 'qat.intel.com/generic';

describe('allocationFromEnv', () => {
  it('reads PCI_RESOURCE_<NAME>: trims, lower-cases, tolerates a trailing comma', () => {
    const a = allocationFromEnv({ PCI_RESOURCE_QAT_INTEL_COM_GENERIC: ' 0000:3D:01.1 , 0000:3d:01.2,' }, [GENERIC]);
    expect(a.get(GENERIC)).toEqual(['0000:3d:01.1', '0000:3d:01.2']);
  });

  it('keeps hyphens in the variable name (KubeVirt convention)', () => {
    const a = allocationFromEnv({ 'PCI_RESOURCE_EXAMPLE_COM_MY-NIC': '0000:01:00.0' }, ['example.com/my-nic']);
    expect(a.get('example.com/my-nic')).toEqual(['0000:01:00.0']);
  });

  it("falls back to Intel's QAT0, QAT1, ... in numeric order for a QAT resource", () => {
    const a = allocationFromEnv({ QAT10: '0000:3d:02.2', QAT0: '0000:3d:01.2', QAT1: '0000:3d:01.3', QAT_OTHER: 'x' }, [GENERIC]);
    expect(a.get(GENERIC)).toEqual(['0000:3d:01.2', '0000:3d:01.3', '0000:3d:02.2']);
  });

  it('prefers PCI_RESOURCE over QATn and ignores QATn for non-QAT resources', () => {
    const env = { PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1', QAT0: '0000:3d:01.2' };
    expect(allocationFromEnv(env, [GENERIC]).get(GENERIC)).toEqual(['0000:3d:01.1']);
    expect(allocationFromEnv({ QAT0: '0000:3d:01.2' }, ['example.com/nic']).size).toBe(0);
  });

  it('leaves resources without any variable out', () => {
    expect(allocationFromEnv({}, [GENERIC]).has(GENERIC)).toBe(false);
  });

  it('names the variable, the resource and the bad value', () => {
    const run = () => allocationFromEnv({ PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1,zz:01.1' }, [GENERIC]);
    expect(run).toThrow(AllocationError);
    expect(run).toThrow('PCI_RESOURCE_QAT_INTEL_COM_GENERIC: "zz:01.1" for resource qat.intel.com/generic is not a PCI address');
    expect(() => allocationFromEnv({ QAT3: 'nope' }, [GENERIC])).toThrow('QAT3: "nope" for resource qat.intel.com/generic');
  });

  it('rejects an address given twice, within one variable or across resources', () => {
    expect(() => allocationFromEnv({ PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1,0000:3D:01.1' }, [GENERIC])).toThrow(
      'PCI_RESOURCE_QAT_INTEL_COM_GENERIC: address 0000:3d:01.1 for resource qat.intel.com/generic is given twice',
    );
    const env = { PCI_RESOURCE_QAT_INTEL_COM_CY: '0000:3d:01.1', PCI_RESOURCE_QAT_INTEL_COM_DC: '0000:3d:01.1' };
    expect(() => allocationFromEnv(env, ['qat.intel.com/cy', 'qat.intel.com/dc'])).toThrow(
      'address 0000:3d:01.1 for resource qat.intel.com/dc is given twice (in PCI_RESOURCE_QAT_INTEL_COM_CY and PCI_RESOURCE_QAT_INTEL_COM_DC)',
    );
  });

  it('refuses to guess which of two QAT resources Intel variables belong to', () => {
    expect(() => allocationFromEnv({ QAT0: '0000:3d:01.1' }, ['qat.intel.com/cy', 'qat.intel.com/dc'])).toThrow(
      'cannot be attributed to one of qat.intel.com/cy, qat.intel.com/dc',
    );
  });

  it('reads a huge list in linear time', () => {
    const addresses = Array.from(
      { length: 50_000 },
      (_, i) => `0001:${(i >> 8).toString(16).padStart(2, '0').slice(-2)}:${((i >> 3) & 0x1f).toString(16).padStart(2, '0')}.${i & 7}`,
    );
    const unique = [...new Set(addresses)];
    const started = performance.now();
    const a = allocationFromEnv({ PCI_RESOURCE_QAT_INTEL_COM_GENERIC: unique.join(',') }, [GENERIC]);
    expect(a.get(GENERIC)).toHaveLength(unique.length);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
