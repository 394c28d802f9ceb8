import { describe, expect, it } from 'vitest';
import { gatesOff, gatesOn, withPermitted } from '../testing/fixtures.js';
import { validateVmiSpec } from '../vmi-spec.validator.js';
import { QAT_GATE_DISABLED_MESSAGE, validateQatDevices } from './qat-devices.rule.js';

const spec = (qats: { name?: string; deviceName?: string }[]) => ({ domain: { devices: { qats } } });

describe('validateQatDevices', () => {
  it('denies QATs while the QAT gate is off with the contract cause, at the VMI or VM path', () => {
    const one = spec([{ name: 'qat1', deviceName: 'qat.intel.com/generic' }]);
    expect(validateQatDevices('spec', one, gatesOff())).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.domain.devices.qats', message: 'QAT feature gate is not enabled in kubevirt-config' },
    ]);
    expect(validateQatDevices('spec.template.spec', one, gatesOff())).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.template.spec.domain.devices.qats', message: QAT_GATE_DISABLED_MESSAGE },
    ]);
    expect(validateQatDevices('spec', one, gatesOn())).toEqual([]);
  });

  it('lets an empty list through with the gate off (it asks for nothing)', () => {
    expect(validateQatDevices('spec', spec([]), gatesOff())).toEqual([]);
  });

  it('requires each name to be a DNS-1123 label, naming the value and the rule', () => {
    expect(validateQatDevices('spec', spec([{ name: 'Qat_1', deviceName: 'qat.intel.com/generic' }]), gatesOn())).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.devices.qats[0].name',
        message:
          "spec.domain.devices.qats[0].name: Invalid value: \"Qat_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      },
    ]);
    const long = 'a'.repeat(64);
    expect(validateQatDevices('spec', spec([{ name: long, deviceName: 'qat.intel.com/generic' }]), gatesOn())).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.devices.qats[0].name',
        message: `spec.domain.devices.qats[0].name: Invalid value: "${long}": must be no more than 63 characters`,
      },
    ]);
  });

  it('reports a duplicate name on the later entry, naming the first', () => {
    const causes = validateQatDevices(
      'spec',
      spec([
        { name: 'qat1', deviceName: 'qat.intel.com/generic' },
        { name: 'qat2', deviceName: 'qat.intel.com/generic' },
        { name: 'qat1', deviceName: 'qat.intel.com/generic' },
      ]),
      gatesOn(),
    );
    expect(causes).toEqual([
      {
        type: 'FieldValueDuplicate',
        field: 'spec.domain.devices.qats[2].name',
        message: 'spec.domain.devices.qats[2] and spec.domain.devices.qats[0] must not have the same name "qat1"',
      },
    ]);
  });

  it('allows several VFs of one resource (one request each)', () => {
    const two = spec([
      { name: 'a', deviceName: 'qat.intel.com/generic' },
      { name: 'b', deviceName: 'qat.intel.com/generic' },
    ]);
    expect(validateQatDevices('spec', two, gatesOn())).toEqual([]);
  });

  it.each([
    ['qat', 'must be an extended resource name of the form <domain>/<name> (e.g. qat.intel.com/generic)'],
    ['kubernetes.io/qat', "the kubernetes.io domain is reserved for Kubernetes' native resources; an extended resource must use another domain"],
    ['requests.qat.intel.com/generic', 'must not start with "requests." (that prefix is reserved for resource quota)'],
    ['qat.intel.com/', 'name part must be non-empty'],
    [
      'Qat.Intel.com/generic',
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
  ])('rejects deviceName %j saying why', (deviceName, why) => {
    expect(validateQatDevices('spec', spec([{ name: 'q', deviceName }]), gatesOn())).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.devices.qats[0].deviceName',
        message: `spec.domain.devices.qats[0].deviceName: Invalid value: ${JSON.stringify(deviceName)}: ${why}`,
      },
    ]);
  });

  it('without permittedHostDevices, wants a qat.intel.com/ resource', () => {
    expect(validateQatDevices('spec', spec([{ name: 'q', deviceName: 'intel.com/qat' }]), gatesOn())).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.devices.qats[0].deviceName',
        message:
          'spec.domain.devices.qats[0].deviceName: Invalid value: "intel.com/qat": a QAT deviceName must be a qat.intel.com/ resource (e.g. qat.intel.com/generic) unless permittedHostDevices lists it',
      },
    ]);
    expect(validateQatDevices('spec', spec([{ name: 'q', deviceName: 'qat.intel.com/cy' }]), gatesOn())).toEqual([]);
  });

  it('with permittedHostDevices set, takes exactly what it lists (any domain)', () => {
    const config = withPermitted({ pciHostDevices: [{ pciVendorSelector: '8086:37c9', resourceName: 'intel.com/qat' }] });
    expect(validateQatDevices('spec', spec([{ name: 'q', deviceName: 'intel.com/qat' }]), config)).toEqual([]);
    expect(validateQatDevices('spec', spec([{ name: 'q', deviceName: 'qat.intel.com/generic' }]), config)).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.devices.qats[0].deviceName',
        message: 'QAT qat.intel.com/generic is not permitted in permittedHostDevices configuration',
      },
    ]);
  });

  it('collects every problem, the gate cause first', () => {
    const causes = validateQatDevices(
      'spec',
      spec([
        { name: 'A', deviceName: 'x' },
        { name: 'A', deviceName: 'qat.intel.com/generic' },
      ]),
      gatesOff(),
    );
    expect(causes.map((c) => [c.type, c.field])).toEqual([
      ['FieldValueInvalid', 'spec.domain.devices.qats'],
      ['FieldValueInvalid', 'spec.domain.devices.qats[0].name'],
      ['FieldValueInvalid', 'spec.domain.devices.qats[0].deviceName'],
      ['FieldValueInvalid', 'spec.domain.devices.qats[1].name'],
      ['FieldValueDuplicate', 'spec.domain.devices.qats[1].name'],
    ]);
  });

  it("through validateVmiSpec: missing fields are the shape check's, once", () => {
    const causes = validateVmiSpec('spec', { domain: { memory: { guest: '1Gi' }, devices: { qats: [{ name: 'q' }, 'x'] } } }, gatesOn());
    expect(causes).toEqual([
      { type: 'FieldValueRequired', field: 'spec.domain.devices.qats[0].deviceName', message: 'spec.domain.devices.qats[0].deviceName: Required value' },
      { type: 'FieldValueInvalid', field: 'spec.domain.devices.qats[1]', message: 'spec.domain.devices.qats[1]: Invalid value: "x": must be of type object' },
    ]);
  });
});
