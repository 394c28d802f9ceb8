import { describe, expect, it } from 'vitest';
import { vmiFixture } from '../testing/fixtures.js';
import type { DomainSpec } from '../types/vmi.js';
import { guestMemoryBytes, memoryOverheadBytes, vmiMemory } from './memory.js';
import { VmiFactError } from './vmi-fact-error.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const vmi = (domain: Partial<DomainSpec>, qats = 0) => vmiFixture({ domain, qats });

describe('guestMemoryBytes', () => {
  it.each([
    ['memory.guest first', { memory: { guest: '1Gi' }, resources: { requests: { memory: '2Gi' } } }, Gi],
    ['else requests.memory', { memory: undefined, resources: { requests: { memory: '64Mi' } } }, 64 * Mi],
    ['else limits.memory', { memory: undefined, resources: { limits: { memory: '100M' } } }, 100e6],
  ])('%s', (_, domain, bytes) => {
    expect(guestMemoryBytes(vmi(domain as Partial<DomainSpec>))).toBe(bytes);
  });

  it.each([
    ['none set', { memory: undefined, resources: {} }, 'MissingMemory', 'spec.domain.memory.guest: required'],
    ['not a quantity', { memory: { guest: 'abc' } }, 'InvalidQuantity', 'spec.domain.memory.guest: "abc" is not a valid quantity'],
    ['zero', { memory: { guest: '0' } }, 'InvalidQuantity', 'spec.domain.memory.guest: "0" must be more than 0'],
    [
      'negative request',
      { memory: undefined, resources: { requests: { memory: '-1Gi' } } },
      'InvalidQuantity',
      'spec.domain.resources.requests.memory: "-1Gi" must be more than 0',
    ],
    ['too large for the XML', { memory: { guest: '1e30' } }, 'InvalidQuantity', 'spec.domain.memory.guest: "1e30" is too large'],
  ])('refuses %s, naming the field', (_, domain, reason, message) => {
    const read = () => guestMemoryBytes(vmi(domain as Partial<DomainSpec>));
    expect(read).toThrow(VmiFactError);
    expect(read).toThrow(message);
    expect(() => read()).toThrow(expect.objectContaining({ reason }));
  });
});

describe('vmiMemory', () => {
  it('gives the pod request as requests.memory + overhead, the domain KiB and no memlock without VFIO', () => {
    const m = vmiMemory(vmi({ memory: { guest: '128Mi' }, resources: { requests: { memory: '256Mi' } } }));
    // Overhead by hand: 180 Mi + 8 Mi x 1 vCPU + 128 Mi / 512.
    const overhead = 180 * Mi + 8 * Mi + (128 * Mi) / 512;
    expect(m).toEqual({ guestBytes: 128 * Mi, guestKiB: 131072, overheadBytes: overhead, podRequestBytes: 256 * Mi + overhead });
  });

  it('falls back to guest RAM for the request, adds the overhead to a limit, and pins guest + 1 GiB with VFIO', () => {
    const m = vmiMemory(vmi({ cpu: { cores: 2 }, memory: { guest: '1Gi' }, resources: { limits: { memory: '2Gi' } } }, 1));
    const overhead = 180 * Mi + 16 * Mi + Gi / 512 + Gi;
    expect(m.overheadBytes).toBe(overhead);
    expect(m.podRequestBytes).toBe(Gi + overhead);
    expect(m.podLimitBytes).toBe(2 * Gi + overhead);
    expect(m.memlockBytes).toBe(2 * Gi);
  });

  it('rounds guest RAM up to whole KiB for the domain and the memlock limit', () => {
    const m = vmiMemory(vmi({ memory: { guest: '100M' } }, 1));
    expect(m.guestKiB).toBe(97657);
    expect(m.memlockBytes).toBe(97657 * 1024 + Gi);
  });

  it('names a bad request or limit', () => {
    expect(() => vmiMemory(vmi({ resources: { limits: { memory: '12XB' } } }))).toThrow('spec.domain.resources.limits.memory: "12XB" is not a valid quantity');
  });
});

describe('memoryOverheadBytes', () => {
  it.each([
    [Gi, 1, false, 180 * Mi + 8 * Mi + 2 * Mi],
    [Gi, 4, true, 180 * Mi + 32 * Mi + 2 * Mi + Gi],
  ])('guest %d, %d vCPUs, vfio %s', (guest, vcpus, vfio, want) => {
    expect(memoryOverheadBytes(guest, vcpus, vfio)).toBe(want);
  });
});
