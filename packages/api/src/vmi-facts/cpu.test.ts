import { describe, expect, it } from 'vitest';
import { vmiFixture } from '../testing/fixtures.js';
import { checkedCpuTopology, cpuTopology, MAX_VCPUS, vcpuCount } from './cpu.js';

describe('cpu facts', () => {
  it.each([
    [undefined, { sockets: 1, cores: 1, threads: 1, vcpus: 1 }],
    [{ cores: 2 }, { sockets: 1, cores: 2, threads: 1, vcpus: 2 }],
    [
      { cores: 2, sockets: 2, threads: 2 },
      { sockets: 2, cores: 2, threads: 2, vcpus: 8 },
    ],
  ])('topology of %j', (cpu, want) => {
    expect(cpuTopology(cpu)).toEqual(want);
    expect(checkedCpuTopology(cpu)).toEqual(want);
  });

  it.each([
    [{ cores: 0 }, `spec.domain.cpu.cores: 0 must be an integer from 1 to ${MAX_VCPUS}`],
    [{ threads: 1.5 }, `spec.domain.cpu.threads: 1.5 must be an integer from 1 to ${MAX_VCPUS}`],
    [{ cores: 17, sockets: 17 }, `spec.domain.cpu: sockets x cores x threads = 289 vCPUs, more than the maximum ${MAX_VCPUS}`],
  ])('refuses %j', (cpu, message) => {
    expect(() => checkedCpuTopology(cpu)).toThrow(message);
  });

  it('counts the vCPUs of a VMI', () => {
    expect(vcpuCount(vmiFixture({ domain: { cpu: { cores: 3, sockets: 2 } } }))).toBe(6);
  });
});
