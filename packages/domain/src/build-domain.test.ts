import type { VirtualMachineInstance } from '@qvirt/api';
import { describe, expect, it } from 'vitest';
import { plainVmi, qatVmi, vfAddresses } from './testing/fixtures.js';
import { buildDomain } from './build-domain.js';
import { AllocationError, DomainRenderError } from './errors.js';
import { renderDomain } from './render-domain.js';

describe('buildDomain', () => {
  it('builds the whole example VMI under emulation', () => {
    const d = buildDomain(plainVmi(), [], { kvm: false });
    expect(d).toMatchObject({
      type: 'qemu',
      name: 'default_vmi-plain',
      memoryKiB: 131072,
      vcpus: 1,
      cpu: { mode: 'custom', model: 'qemu64' },
      features: { acpi: true },
      devices: { hostdevs: [], memballoon: { model: 'none' }, serials: [{ type: 'pty', port: 0 }] },
    });
    expect(d.memtune).toBeUndefined();
  });

  it.each([
    [null, '(root): a VirtualMachineInstance object is required'],
    [{ kind: 'Pod', spec: {} }, 'kind: "Pod" is not VirtualMachineInstance'],
    [{ kind: 'VirtualMachineInstance', metadata: { name: 'x' } }, 'spec: required'],
    [{ kind: 'VirtualMachineInstance', metadata: { name: 'x' }, spec: {} }, 'spec.domain: required'],
    [{ kind: 'VirtualMachineInstance', metadata: { name: 'x' }, spec: { domain: { devices: { qats: 'x' } } } }, 'spec.domain.devices.qats: must be a list'],
  ])('rejects malformed input %j', (input, message) => {
    expect(() => buildDomain(input as unknown as VirtualMachineInstance, [], { kvm: false })).toThrow(DomainRenderError);
    expect(() => buildDomain(input as unknown as VirtualMachineInstance, [], { kvm: false })).toThrow(message);
  });

  it('reports missing memory and a bad quantity by field', () => {
    const noMemory = plainVmi({ memory: undefined, resources: undefined });
    expect(() => buildDomain(noMemory, [], { kvm: false })).toThrow('spec.domain.memory.guest: required');
    expect(() => buildDomain(plainVmi({ memory: { guest: 'abc' } }), [], { kvm: false })).toThrow('spec.domain.memory.guest: "abc" is not a valid quantity');
  });
});

describe('renderDomain', () => {
  it('fails on an unknown resource with the variable to set', () => {
    expect(() => renderDomain(qatVmi(1, 'qat.intel.com/unknown'), new Map(), { kvm: false })).toThrow(AllocationError);
    expect(() => renderDomain(qatVmi(1, 'qat.intel.com/unknown'), new Map(), { kvm: false })).toThrow(
      'resource qat.intel.com/unknown: 1 device requested, 0 addresses allocated (set PCI_RESOURCE_QAT_INTEL_COM_UNKNOWN)',
    );
  });

  it('renders a huge device list (1000 QATs) quickly', () => {
    const started = performance.now();
    const xml = renderDomain(qatVmi(1000), new Map([['qat.intel.com/generic', vfAddresses(1000)]]), { kvm: false });
    expect(xml.match(/<hostdev /g)).toHaveLength(1000);
    expect(xml).toContain('ua-qat-qat1000');
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
