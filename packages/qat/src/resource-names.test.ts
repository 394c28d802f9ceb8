import { describe, expect, it } from 'vitest';
import { pciResourceEnvName, resourceForServices } from './resource-names.js';

describe('resourceForServices', () => {
  it.each([
    ['sym;asym', 'qat.intel.com/cy'],
    ['asym;sym', 'qat.intel.com/cy'],
    ['dc', 'qat.intel.com/dc'],
    ['sym', 'qat.intel.com/sym'],
    ['asym', 'qat.intel.com/asym'],
    ['asym;dc', 'qat.intel.com/asym-dc'],
    ['dc;sym', 'qat.intel.com/sym-dc'],
    ['dcc', 'qat.intel.com/dcc'],
    [' SYM;Decomp \n', 'qat.intel.com/sym-decomp'],
  ])('%j -> %s', (cfg, name) => {
    expect(resourceForServices(cfg)).toMatchObject({ ok: true, resourceName: name });
  });

  it('rejects unknown and empty service lists with the reason', () => {
    expect(resourceForServices('sym;foo')).toEqual({ ok: false, reason: 'cfg_services "sym;foo" has unknown service foo' });
    expect(resourceForServices('  ')).toEqual({ ok: false, reason: 'cfg_services is empty' });
  });
});

describe('pciResourceEnvName', () => {
  it('follows KubeVirt: upper-case, / and . to _, hyphens kept', () => {
    expect(pciResourceEnvName('qat.intel.com/generic')).toBe('PCI_RESOURCE_QAT_INTEL_COM_GENERIC');
    expect(pciResourceEnvName('intel.com/qat')).toBe('PCI_RESOURCE_INTEL_COM_QAT');
    expect(pciResourceEnvName('qat.intel.com/asym-dc')).toBe('PCI_RESOURCE_QAT_INTEL_COM_ASYM-DC');
  });
});
