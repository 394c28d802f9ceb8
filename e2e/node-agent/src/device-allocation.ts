// Which devices a pod gets (pure): the kubelet devicemanager's choice among the free healthy devices.

export class DeviceAdmissionError extends Error {
  override readonly name = 'DeviceAdmissionError';
  constructor(
    readonly resourceName: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `count` device IDs from `free`: the plugin's preferred allocation when it is a valid choice
 * (right size, only free IDs, no duplicates), else the first `count` free IDs in order.
 * Throws DeviceAdmissionError with the kubelet's wording when too few are free.
 */
export function pickDevices(resourceName: string, free: readonly string[], count: number, preferred?: readonly string[]): string[] {
  if (!Number.isInteger(count) || count < 1) throw new DeviceAdmissionError(resourceName, `resource ${resourceName}: requested ${count} devices; must be a positive whole number`);
  if (free.length < count) {
    throw new DeviceAdmissionError(resourceName, `Allocate failed due to requested number of devices unavailable for ${resourceName}. Requested: ${count}, Available: ${free.length}`);
  }
  if (preferred && preferred.length === count && new Set(preferred).size === count && preferred.every((id) => free.includes(id))) return [...preferred];
  return [...free].sort().slice(0, count);
}

/** The extended resources of a container's limits (or requests) that a device plugin serves, with their counts. */
export function deviceRequests(resources: { limits?: Record<string, string>; requests?: Record<string, string> } | undefined, served: (name: string) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  const merged = { ...(resources?.requests ?? {}), ...(resources?.limits ?? {}) };
  for (const [name, qty] of Object.entries(merged)) {
    if (!served(name)) continue;
    const n = Number(qty);
    if (!Number.isInteger(n) || n < 0) throw new DeviceAdmissionError(name, `resource ${name}: quantity ${JSON.stringify(qty)} is not a whole number of devices`);
    if (n > 0) out.set(name, n);
  }
  return out;
}

/** Extended resource names (domain/name, not kubernetes.io) as the kubelet treats them. */
export function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.') && !name.includes('.kubernetes.io/');
}
