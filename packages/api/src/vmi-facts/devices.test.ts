import { describe, expect, it } from 'vitest';
import { emptyClusterConfig, type ClusterConfig } from '../cluster-config.js';
import { qatDevices, vmiFixture } from '../testing/fixtures.js';
import type { VirtualMachineInstance } from '../types/vmi.js';
import { deviceCounts, deviceRequests, hasVfioDevices, notPermittedDevices, requestedResources } from './devices.js';

const gpu = { name: 'gpu', deviceName: 'nvidia.com/gpu' };

describe('device facts', () => {
  it('counts each resource over qats[] and hostDevices[]', () => {
    const vmi = vmiFixture({ qats: 2, hostDevices: [gpu] });
    expect([...deviceCounts(vmi)]).toEqual([
      ['qat.intel.com/generic', 2],
      ['nvidia.com/gpu', 1],
    ]);
    expect(requestedResources(vmi)).toEqual(['qat.intel.com/generic', 'nvidia.com/gpu']);
    expect(hasVfioDevices(vmi)).toBe(true);
    expect(hasVfioDevices(vmiFixture())).toBe(false);
  });

  it('requests nothing for malformed lists and entries, without throwing', () => {
    const vmi = vmiFixture();
    (vmi.spec.domain.devices as Record<string, unknown>)['qats'] = 'qat1';
    (vmi.spec.domain.devices as Record<string, unknown>)['hostDevices'] = [null, { name: 'x' }, gpu];
    expect(deviceRequests(vmi as VirtualMachineInstance)).toEqual([{ list: 'hostDevices', index: 2, name: 'gpu', deviceName: 'nvidia.com/gpu' }]);
  });

  it('names every entry the permitted list leaves out, as validation does', () => {
    const config: ClusterConfig = {
      ...emptyClusterConfig(),
      permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '8086:4941', resourceName: 'qat.intel.com/cy' }] },
    };
    const vmi = vmiFixture({ qats: qatDevices(1, { deviceName: 'qat.intel.com/dc' }), hostDevices: [gpu] });
    expect(notPermittedDevices(vmi, config)).toEqual([
      'QAT qat.intel.com/dc is not permitted in permittedHostDevices configuration',
      'HostDevice nvidia.com/gpu is not permitted in permittedHostDevices configuration',
    ]);
    expect(notPermittedDevices(vmi, emptyClusterConfig())).toEqual([]);
  });
});
