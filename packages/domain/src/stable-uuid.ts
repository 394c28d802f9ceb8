import { createHash } from 'node:crypto';

// Fixed namespace for qvirt's name-based (version 5) domain UUIDs.
const QVIRT_UUID_NAMESPACE = '6f1c0b6e-7c1a-4f4e-9d3b-2a8e5f0c9b41';

/** RFC 4122 version 5 UUID of `name`: the same VMI always gets the same domain UUID. */
export function uuidV5(name: string, namespace = QVIRT_UUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The VMI's domain UUID: `firmware.uuid` when given, else stable across re-renders, from the uid
 * when the VMI has one (in the cluster), else from its name. cloud-init's instance-id is the same.
 */
export function vmiUuid(meta: { uid?: string | undefined; name: string; namespace: string }, firmwareUuid: string | undefined): string {
  if (firmwareUuid !== undefined) return firmwareUuid.toLowerCase();
  return uuidV5(meta.uid ? `uid:${meta.uid}` : `name:${meta.namespace}/${meta.name}`);
}
