import type { PluginDevice } from './device-source.js';
import { AllocateRefusal } from './errors.js';

/**
 * Checks one container's requested IDs against the current devices (pure):
 * unknown or duplicate IDs -> INVALID_ARGUMENT; unhealthy devices, or a
 * request holding only part of an IOMMU group -> FAILED_PRECONDITION.
 */
export function checkContainerRequest(resourceName: string, ids: readonly string[], devices: ReadonlyMap<string, PluginDevice>): PluginDevice[] {
  if (ids.length === 0) throw new AllocateRefusal('INVALID_ARGUMENT', `resource ${resourceName}: container request names no devices`);
  const seen = new Set<string>();
  const picked: PluginDevice[] = [];
  for (const id of ids) {
    if (seen.has(id)) throw new AllocateRefusal('INVALID_ARGUMENT', `resource ${resourceName}: device ${id} requested twice`);
    seen.add(id);
    const d = devices.get(id);
    if (!d) throw new AllocateRefusal('INVALID_ARGUMENT', `resource ${resourceName}: unknown device ${id}`);
    if (d.health !== 'Healthy') {
      throw new AllocateRefusal(
        'FAILED_PRECONDITION',
        `resource ${resourceName}: device ${id} is Unhealthy${d.unhealthyReason ? ` (${d.unhealthyReason})` : ''}`,
      );
    }
    picked.push(d);
  }
  for (const d of picked) {
    if (d.groupKey === undefined) continue;
    const mates = [...devices.values()].filter((o) => o.groupKey === d.groupKey && !seen.has(o.id));
    if (mates.length > 0) {
      throw new AllocateRefusal(
        'FAILED_PRECONDITION',
        `resource ${resourceName}: device ${d.id} shares IOMMU group ${d.groupKey} with ${mates.map((m) => m.id).join(', ')}; they must be allocated to the same container`,
      );
    }
  }
  return picked;
}
