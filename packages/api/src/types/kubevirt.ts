import type { ObjectMeta } from './meta.js';
import type { GROUP_VERSION } from './vmi.js';

/** KubeVirt's PciHostDevice: which PCI devices may be passed through, and who advertises them. */
export interface PciHostDevice {
  /** `vendor:device` in hex, e.g. `8086:37c9`. */
  pciVendorSelector: string;
  resourceName: string;
  /** true: another device plugin (e.g. Intel's QAT plugin) advertises the resource, not virt-handler. */
  externalResourceProvider?: boolean;
}

export interface PermittedHostDevices {
  pciHostDevices?: PciHostDevice[];
  mediatedDevices?: { mdevNameSelector: string; resourceName: string; externalResourceProvider?: boolean }[];
}

export interface KubeVirtConfiguration {
  developerConfiguration?: { featureGates?: string[] };
  permittedHostDevices?: PermittedHostDevices;
  machineType?: string;
}

export interface KubeVirt {
  apiVersion: typeof GROUP_VERSION;
  kind: 'KubeVirt';
  metadata: ObjectMeta;
  spec: { configuration?: KubeVirtConfiguration };
  status?: { phase?: string };
}
