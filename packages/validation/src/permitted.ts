import type { ClusterConfig } from '@qvirt/api';
import { isRecord } from './untrusted.js';

/**
 * KubeVirt's rule (no permittedHostDevices list: everything permitted; a list: only the resources
 * it names), total on a malformed list: the ConfigMap's permittedHostDevices is YAML an admin
 * wrote, and a typo there must deny devices, not crash the webhook. Unusable entries permit nothing.
 */
export function resourcePermitted(config: ClusterConfig, resourceName: string): boolean {
  const permitted: unknown = config.permittedHostDevices;
  if (permitted === undefined) return true;
  if (!isRecord(permitted)) return false;
  return ['pciHostDevices', 'mediatedDevices'].some((list) => {
    const entries = permitted[list];
    return Array.isArray(entries) && entries.some((e) => isRecord(e) && e['resourceName'] === resourceName);
  });
}
