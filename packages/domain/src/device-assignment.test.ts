import { describe, expect, it } from 'vitest';
import { qatVmi, vfAddresses } from './testing/fixtures.js';
import { assignDevices } from './device-assignment.js';
import { AllocationError } from './errors.js';

const GENERIC = 'qat.intel.com/generic';

describe('assignDevices', () => {
  it('gives each device the next unused address of its resource, QATs then host devices', () => {
    const vmi = qatVmi(2);
    vmi.spec.domain.devices.hostDevices = [{ name: 'nic', deviceName: 'example.com/nic' }];
    const allocation = new Map([
      [GENERIC, ['0000:3d:01.1', '0000:3d:01.2', '0000:3d:01.3']],
      ['example.com/nic', ['0000:01:00.0']],
    ]);
    expect(assignDevices(vmi, allocation)).toEqual([
      { kind: 'qat', name: 'qat1', deviceName: GENERIC, address: '0000:3d:01.1' },
      { kind: 'qat', name: 'qat2', deviceName: GENERIC, address: '0000:3d:01.2' },
      { kind: 'hostDevice', name: 'nic', deviceName: 'example.com/nic', address: '0000:01:00.0' },
    ]);
  });

  it('fails with the counts when fewer addresses than devices were allocated', () => {
    const run = () => assignDevices(qatVmi(2), new Map([[GENERIC, ['0000:3d:01.1']]]));
    expect(run).toThrow(AllocationError);
    expect(run).toThrow(/^resource qat\.intel\.com\/generic: 2 devices requested, 1 address allocated$/);
  });

  it('names the variable to set when a resource has no allocation at all (unknown resource)', () => {
    expect(() => assignDevices(qatVmi(1, 'qat.intel.com/cy'), new Map([[GENERIC, ['0000:3d:01.1']]]))).toThrow(
      'resource qat.intel.com/cy: 1 device requested, 0 addresses allocated (set PCI_RESOURCE_QAT_INTEL_COM_CY)',
    );
  });

  it('uses an address once even in a hand-built allocation that lists it under two resources', () => {
    const vmi = qatVmi(1);
    vmi.spec.domain.devices.hostDevices = [{ name: 'dup', deviceName: 'example.com/x' }];
    const allocation = new Map([
      [GENERIC, ['0000:3d:01.1']],
      ['example.com/x', ['0000:3d:01.1']],
    ]);
    expect(() => assignDevices(vmi, allocation)).toThrow('address 0000:3d:01.1 is already assigned to qat qat1');
  });

  it('handles huge lists: 2000 devices, and a clear error when one address short', () => {
    const addresses = vfAddresses(2000);
    expect(new Set(addresses).size).toBe(2000);
    expect(assignDevices(qatVmi(2000), new Map([[GENERIC, addresses]]))).toHaveLength(2000);
    expect(() => assignDevices(qatVmi(2000), new Map([[GENERIC, addresses.slice(1)]]))).toThrow('2000 devices requested, 1999 addresses allocated');
  });

  it('returns nothing for a VMI without devices', () => {
    expect(assignDevices(qatVmi(0), new Map())).toEqual([]);
  });
});
