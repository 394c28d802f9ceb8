import { describe, expect, it } from 'vitest';
import { plainVmi, qatVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { vfioMemoryConfigurator } from './vfio-memory.configurator.js';

const ctx = { assignments: [], facts: { kvm: false } };

describe('vfioMemoryConfigurator', () => {
  it('locks memory with a hard limit of guest memory + 1 GiB when a VFIO device is present', () => {
    const d = emptyDomain();
    d.memoryKiB = 131072;
    d.devices.hostdevs = [{ source: { domain: 0, bus: 0x3d, slot: 1, function: 1 }, alias: 'ua-qat-qat1' }];
    vfioMemoryConfigurator.configure(qatVmi(1), d, ctx);
    expect(d.memoryBacking).toEqual({ locked: true });
    expect(d.memtune).toEqual({ hardLimitKiB: 131072 + 1048576 });
  });

  it('leaves memory unlocked without VFIO devices', () => {
    const d = emptyDomain();
    d.memoryKiB = 131072;
    vfioMemoryConfigurator.configure(plainVmi(), d, ctx);
    expect('memoryBacking' in d).toBe(false);
    expect('memtune' in d).toBe(false);
  });
});
