// Which device plugins this node should serve: a pure function of QAT discovery, the cluster
// configuration and the KVM decision. The manager (device-plugin.manager.ts) makes it so.
import { ResourceNames, type ClusterConfig } from '@qvirt/api';
import { INTEL_VENDOR_ID, normalizeHexId, type QatDiscovery, type QatVf } from '@qvirt/qat';

/** Which advertised VFs a QAT plugin serves: by discovery resource name and/or by PCI ID. */
export interface VfMatch {
  /** Discovery resources (e.g. `qat.intel.com/generic`). */
  resources: string[];
  /** `8086:37c9`-style selectors from permittedHostDevices. */
  pciIds: string[];
}

export type PluginSpec = { kind: 'qat'; resourceName: string; match: VfMatch } | { kind: 'kvm'; resourceName: string };

export interface PluginPlan {
  plugins: PluginSpec[];
  /** Things a user should know (logged once per change). */
  notes: string[];
}

/**
 * - every discovery resource (qat.intel.com/generic, qat.intel.com/cy, ...);
 * - every permittedHostDevices.pciHostDevices entry whose pciVendorSelector matches an
 *   advertised QAT VF, under the entry's resourceName;
 * - minus resources marked externalResourceProvider (Intel's QAT plugin serves them);
 * - devices.kubevirt.io/kvm when KVM is usable.
 */
export function planDevicePlugins(discovery: QatDiscovery, config: ClusterConfig, kvm: boolean): PluginPlan {
  const notes: string[] = [];
  const byResource = new Map<string, VfMatch>();
  const matchFor = (r: string): VfMatch => {
    let m = byResource.get(r);
    if (!m) byResource.set(r, (m = { resources: [], pciIds: [] }));
    return m;
  };
  for (const [resource, vfs] of Object.entries(discovery.resources)) if (vfs.length > 0) matchFor(resource).resources.push(resource);

  const advertised = Object.values(discovery.resources).flat();
  const external = new Set<string>();
  for (const entry of config.permittedHostDevices?.pciHostDevices ?? []) {
    if (entry.externalResourceProvider) {
      external.add(entry.resourceName);
      continue;
    }
    const selector = normalizeSelector(entry.pciVendorSelector);
    if (selector === undefined) {
      notes.push(`permittedHostDevices: pciVendorSelector ${JSON.stringify(entry.pciVendorSelector)} of ${entry.resourceName} is not vendor:device hex; ignored`);
      continue;
    }
    if (!advertised.some((vf) => vfPciId(vf) === selector)) {
      notes.push(`permittedHostDevices: ${entry.resourceName} (${selector}) matches no advertised QAT VF on this node; virt-handler discovers QAT VFs only`);
      continue;
    }
    const m = matchFor(entry.resourceName);
    if (!m.pciIds.includes(selector)) m.pciIds.push(selector);
  }
  for (const r of external) {
    if (byResource.delete(r)) notes.push(`${r} is provided by an external device plugin (externalResourceProvider: true); not served here`);
  }
  const plugins: PluginSpec[] = [...byResource.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resourceName, match]) => ({ kind: 'qat', resourceName, match: { resources: match.resources.sort(), pciIds: match.pciIds.sort() } }));
  if (kvm) plugins.push({ kind: 'kvm', resourceName: ResourceNames.kvm });
  return { plugins, notes };
}

/** The VFs a QAT plugin with this match advertises (advertised VFs only: vfio-pci with a group). */
export function selectVfs(discovery: QatDiscovery, match: VfMatch): QatVf[] {
  const seen = new Set<string>();
  const out: QatVf[] = [];
  for (const vf of Object.values(discovery.resources).flat()) {
    if (seen.has(vf.address)) continue;
    if (match.resources.includes(vf.resourceName ?? '') || match.pciIds.includes(vfPciId(vf))) {
      seen.add(vf.address);
      out.push(vf);
    }
  }
  return out.sort((a, b) => a.address.localeCompare(b.address));
}

export function specKey(s: PluginSpec): string {
  return JSON.stringify(s);
}

function vfPciId(vf: QatVf): string {
  return `${INTEL_VENDOR_ID}:${normalizeHexId(vf.deviceId)}`;
}

function normalizeSelector(s: string): string | undefined {
  const m = /^\s*(?:0x)?([0-9a-fA-F]{4})\s*:\s*(?:0x)?([0-9a-fA-F]{4})\s*$/.exec(s ?? '');
  return m ? `${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}` : undefined;
}
