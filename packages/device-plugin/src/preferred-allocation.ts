import type { PluginDevice } from './device-source.js';

export interface PreferredRequest {
  readonly available: readonly string[];
  readonly mustInclude: readonly string[];
  readonly size: number;
}

interface Unit {
  readonly ids: readonly string[];
  readonly numa: number | null;
  readonly spread: string;
}

const numaKey = (n: number | null): string => (n === null ? 'none' : String(n));

/**
 * Picks `size` devices (pure, deterministic): every must-include first (and
 * their IOMMU-group mates), then from ONE NUMA node if one can hold the rest
 * (the must-includes' node first, else the node with most free devices),
 * spreading round-robin across PFs; only if no node fits, across nodes.
 * Devices sharing a group key are taken together or not at all.
 */
export function preferredAllocation(req: PreferredRequest, devices: readonly PluginDevice[]): string[] {
  const known = new Map(devices.map((d) => [d.id, d]));
  const result: string[] = [];
  const taken = new Set<string>();
  const take = (id: string): void => {
    if (!taken.has(id)) {
      taken.add(id);
      result.push(id);
    }
  };
  for (const id of req.mustInclude) take(id);

  const available = [...new Set(req.available)].filter((id) => !taken.has(id) && known.get(id)?.health !== 'Unhealthy').sort();
  const groupOf = (id: string): string => known.get(id)?.groupKey ?? `id:${id}`;
  // Group mates of must-includes travel with them.
  const mustGroups = new Set(result.map(groupOf));
  for (const id of available) if (mustGroups.has(groupOf(id))) take(id);

  const byGroup = new Map<string, string[]>();
  for (const id of available) {
    if (taken.has(id)) continue;
    const g = groupOf(id);
    byGroup.set(g, [...(byGroup.get(g) ?? []), id]);
  }
  const units: Unit[] = [...byGroup.values()].map((ids) => {
    const d = known.get(ids[0] ?? '');
    return { ids, numa: d?.numaNode ?? null, spread: d?.spreadKey ?? ids[0] ?? '' };
  });

  let need = req.size - result.length;
  if (need <= 0) return result;

  const capacity = new Map<string, number>();
  for (const u of units) capacity.set(numaKey(u.numa), (capacity.get(numaKey(u.numa)) ?? 0) + u.ids.length);
  const mustNuma = mostCommon(result.map((id) => known.get(id)?.numaNode ?? null).filter((n): n is number => n !== null));
  const nodes = [...capacity.keys()].sort((a, b) => {
    if (mustNuma !== null && (a === String(mustNuma)) !== (b === String(mustNuma))) return a === String(mustNuma) ? -1 : 1;
    if ((a === 'none') !== (b === 'none')) return a === 'none' ? 1 : -1;
    return (capacity.get(b) ?? 0) - (capacity.get(a) ?? 0) || Number(a) - Number(b);
  });
  const fitting = nodes.find((n) => (capacity.get(n) ?? 0) >= need);
  const order = fitting !== undefined ? [fitting] : nodes;

  const spreadCount = new Map<string, number>();
  for (const id of result) {
    const s = known.get(id)?.spreadKey ?? id;
    spreadCount.set(s, (spreadCount.get(s) ?? 0) + 1);
  }
  for (const node of order) {
    let pool = units.filter((u) => numaKey(u.numa) === node);
    while (need > 0) {
      const candidates = pool.filter((u) => u.ids.length <= need);
      if (candidates.length === 0) break;
      const left = new Map<string, number>();
      for (const u of candidates) left.set(u.spread, (left.get(u.spread) ?? 0) + 1);
      // Least-used PF first; then the PF with most left; then by name; within a PF, lowest ID.
      candidates.sort(
        (a, b) =>
          (spreadCount.get(a.spread) ?? 0) - (spreadCount.get(b.spread) ?? 0) ||
          (left.get(b.spread) ?? 0) - (left.get(a.spread) ?? 0) ||
          cmp(a.spread, b.spread) ||
          cmp(a.ids[0] ?? '', b.ids[0] ?? ''),
      );
      const pick = candidates[0];
      if (!pick) break;
      for (const id of pick.ids) take(id);
      need -= pick.ids.length;
      spreadCount.set(pick.spread, (spreadCount.get(pick.spread) ?? 0) + 1);
      pool = pool.filter((u) => u !== pick);
    }
    if (need <= 0) break;
  }
  return result;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mostCommon(values: readonly number[]): number | null {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | null = null;
  for (const [v, c] of counts) if (best === null || c > (counts.get(best) ?? 0) || (c === counts.get(best) && v < best)) best = v;
  return best;
}
