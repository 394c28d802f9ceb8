import { describe, expect, it } from 'vitest';
import type { PluginDevice } from './device-source.js';
import { preferredAllocation } from './preferred-allocation.js';

// Two NUMA nodes; node 0 has PFs A (3 VFs) and B (2 VFs), node 1 has PF C (4 VFs).
const dev = (id: string, numa: number | null, pf: string, extra: Partial<PluginDevice> = {}): PluginDevice => ({
  id,
  health: 'Healthy',
  numaNode: numa,
  spreadKey: pf,
  groupKey: `g-${id}`,
  ...extra,
});
const devices: PluginDevice[] = [
  dev('a1', 0, 'A'),
  dev('a2', 0, 'A'),
  dev('a3', 0, 'A'),
  dev('b1', 0, 'B'),
  dev('b2', 0, 'B'),
  dev('c1', 1, 'C'),
  dev('c2', 1, 'C'),
  dev('c3', 1, 'C'),
  dev('c4', 1, 'C'),
];
const all = devices.map((d) => d.id);

describe('preferredAllocation', () => {
  it('stays on the NUMA node with most free devices and alternates PFs', () => {
    // node 0 has 5, node 1 has 4: node 0; A, B, A, B
    expect(preferredAllocation({ available: all, mustInclude: [], size: 4 }, devices)).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('puts must-includes first and prefers their NUMA node', () => {
    expect(preferredAllocation({ available: all, mustInclude: ['c3'], size: 3 }, devices)).toEqual(['c3', 'c1', 'c2']);
  });

  it('spreads across PFs counting the must-includes', () => {
    expect(preferredAllocation({ available: all, mustInclude: ['a2'], size: 3 }, devices)).toEqual(['a2', 'b1', 'a1']);
  });

  it('crosses NUMA nodes only when no single node can hold the request', () => {
    const r = preferredAllocation({ available: all, mustInclude: [], size: 7 }, devices);
    expect(r).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'c1', 'c2']);
  });

  it('only picks available, healthy devices (PF with most left first) and is deterministic regardless of input order', () => {
    const sick = devices.map((d) => (d.id === 'a1' ? { ...d, health: 'Unhealthy' as const } : d));
    const available = ['b2', 'a1', 'a3', 'b1'];
    expect(preferredAllocation({ available, mustInclude: [], size: 2 }, sick)).toEqual(['b1', 'a3']);
    expect(preferredAllocation({ available: [...available].reverse(), mustInclude: [], size: 2 }, sick)).toEqual(['b1', 'a3']);
  });

  it('keeps devices of one IOMMU group together', () => {
    const grouped = [dev('x1', 0, 'X', { groupKey: '7' }), dev('x2', 0, 'X', { groupKey: '7' }), dev('y1', 0, 'Y')];
    expect(preferredAllocation({ available: ['x1', 'x2', 'y1'], mustInclude: [], size: 1 }, grouped)).toEqual(['y1']);
    expect(preferredAllocation({ available: ['x1', 'x2', 'y1'], mustInclude: ['x2'], size: 2 }, grouped)).toEqual(['x2', 'x1']);
  });

  it('devices without NUMA information come last', () => {
    const mixed = [dev('n1', null, 'N'), dev('n2', null, 'N'), dev('m1', 1, 'M')];
    expect(preferredAllocation({ available: ['n1', 'n2', 'm1'], mustInclude: [], size: 1 }, mixed)).toEqual(['m1']);
    expect(preferredAllocation({ available: ['n1', 'n2', 'm1'], mustInclude: [], size: 2 }, mixed)).toEqual(['n1', 'n2']);
  });
});
