import { MAX_VCPUS, type CPU } from '@qvirt/api';
import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { cpuConfigurator } from './cpu.configurator.js';

const configure = (cpu: CPU | undefined, kvm: boolean) => {
  const d = emptyDomain();
  cpuConfigurator.configure(plainVmi({ cpu }), d, { assignments: [], facts: { kvm } });
  return d;
};

describe('cpuConfigurator', () => {
  it('vcpus = sockets x cores x threads, with the topology', () => {
    const d = configure({ sockets: 2, cores: 3, threads: 2 }, true);
    expect(d.vcpus).toBe(12);
    expect(d.cpu).toEqual({ mode: 'host-passthrough', topology: { sockets: 2, cores: 3, threads: 2 } });
    expect(configure(undefined, false).vcpus).toBe(1);
  });

  it('emulates qemu64 without KVM, host-passthrough with it', () => {
    expect(configure({ cores: 1 }, false).cpu).toEqual({ mode: 'custom', model: 'qemu64', topology: { sockets: 1, cores: 1, threads: 1 } });
    expect(configure({ cores: 1 }, true).cpu?.mode).toBe('host-passthrough');
  });

  it('honours a named model, and refuses host CPU modes under emulation', () => {
    expect(configure({ model: 'Skylake-Server' }, false).cpu).toMatchObject({ mode: 'custom', model: 'Skylake-Server' });
    expect(configure({ model: 'host-model' }, true).cpu).toMatchObject({ mode: 'host-model' });
    expect(() => configure({ model: 'host-passthrough' }, false)).toThrow('spec.domain.cpu.model: "host-passthrough" needs KVM');
    expect(() => configure({ model: 'bad model!' }, false)).toThrow('spec.domain.cpu.model: "bad model!" is not a CPU model name');
  });

  it('rejects bad counts and absurd totals with the field', () => {
    expect(() => configure({ cores: 0 }, false)).toThrow(`spec.domain.cpu.cores: 0 must be an integer from 1 to ${MAX_VCPUS}`);
    expect(() => configure({ sockets: 1.5 }, false)).toThrow('spec.domain.cpu.sockets');
    expect(() => configure({ sockets: 64, cores: 64 }, false)).toThrow('spec.domain.cpu: sockets x cores x threads = 4096 vCPUs');
  });
});
