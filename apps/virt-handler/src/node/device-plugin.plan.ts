// Which device plugins this node should serve: a pure function of QAT discovery, the cluster
// configuration and the KVM decision. The manager (device-plugin.manager.ts) makes it so.
import { ResourceNames, type ClusterConfig } from '@qvirt/api';
import { INTEL_VENDOR_ID, normalizePciSelector, normalizeHexId, type PciHostDevice, type QatDiscovery, type QatVf } from '@qvirt/qat';

/** Which advertised VFs a QAT plugin serves: by discovery resource name and/or by PCI ID. */
export interface VfMatch {
  /** Discovery resources (e.g. `qat.intel.com/generic`). */
  resources: string[];
  /** `8086:37c9`-style selectors from permittedHostDevices. */
  pciIds: string[];
}

export type PluginSpec =
  | { kind: 'qat'; resourceName: string; match: VfMatch }
  /** Other PCI functions of permittedHostDevices (a NIC VF, a GPU), by `vendor:device`. */
  | { kind: 'pci'; resourceName: string; pciIds: string[] }
  | { kind: 'kvm'; resourceName: string };

export interface PluginPlan {
  plugins: PluginSpec[];
  /** Things a user should know (logged once per change). */
  notes: string[];
}

/**
 * - every discovery resource (qat.intel.com/generic, qat.intel.com/cy, ...);
 * - every permittedHostDevices.pciHostDevices entry whose pciVendorSelector matches an
 *   advertised QAT VF, under the entry's resourceName; else one that matches another PCI
 *   function of this node that can be passed through (`pciDevices`, discoverPciHostDevices);
 * - minus resources marked externalResourceProvider (Intel's QAT plugin serves them);
 * - devices.kubevirt.io/kvm always, as KubeVirt's permanent plugins: its devices are Unhealthy
 *   while /dev/kvm is missing, and VMIs under emulation do not request it.
 */
export function planDevicePlugins(discovery: QatDiscovery, config: ClusterConfig, pciDevices: readonly PciHostDevice[] = []): PluginPlan {
  const notes: string[] = [];
  const byResource = new Map<string, VfMatch>();
  const pciByResource = new Map<string, string[]>();
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
    const selector = normalizePciSelector(entry.pciVendorSelector);
    if (selector === undefined) {
      notes.push(
        `permittedHostDevices: pciVendorSelector ${JSON.stringify(entry.pciVendorSelector)} of ${entry.resourceName} is not vendor:device hex; ignored`,
      );
      continue;
    }
    if (advertised.some((vf) => vfPciId(vf) === selector)) {
      const m = matchFor(entry.resourceName);
      if (!m.pciIds.includes(selector)) m.pciIds.push(selector);
      continue;
    }
    const candidates = pciDevices.filter((d) => d.pciId === selector);
    if (!candidates.some((d) => d.ignoredReason === null)) {
      const why = candidates.map((d) => `${d.address}: ${d.ignoredReason}`).join('; ');
      notes.push(
        `permittedHostDevices: ${entry.resourceName} (${selector}) matches no device on this node that can be passed through${why ? ` (${why})` : ''}`,
      );
      continue;
    }
    const ids = pciByResource.get(entry.resourceName) ?? [];
    if (!ids.includes(selector)) ids.push(selector);
    pciByResource.set(entry.resourceName, ids);
  }
  for (const r of pciByResource.keys()) {
    if (!byResource.has(r)) continue;
    pciByResource.delete(r);
    notes.push(`permittedHostDevices: ${r} names QAT VFs and other devices; one resource holds one kind, the other devices are not served`);
  }
  for (const r of external) {
    if (byResource.delete(r) || pciByResource.delete(r))
      notes.push(`${r} is provided by an external device plugin (externalResourceProvider: true); not served here`);
  }
  const plugins: PluginSpec[] = [
    ...[...byResource.entries()].map(([resourceName, match]): PluginSpec => ({
      kind: 'qat',
      resourceName,
      match: { resources: match.resources.sort(), pciIds: match.pciIds.sort() },
    })),
    ...[...pciByResource.entries()].map(([resourceName, pciIds]): PluginSpec => ({ kind: 'pci', resourceName, pciIds: pciIds.sort() })),
  ].sort((a, b) => a.resourceName.localeCompare(b.resourceName));
  plugins.push({ kind: 'kvm', resourceName: ResourceNames.kvm });
  return { plugins, notes };
}

/** The selectors of other (non-QAT) devices worth looking for: every permitted entry not left to an external provider. */
export function permittedPciIds(config: ClusterConfig): string[] {
  const ids = (config.permittedHostDevices?.pciHostDevices ?? [])
    .filter((e) => !e.externalResourceProvider)
    .map((e) => normalizePciSelector(e.pciVendorSelector))
    .filter((s): s is string => s !== undefined);
  return [...new Set(ids)].sort();
}

/** The devices a PCI plugin advertises: those of its selectors that can be passed through. */
export function selectPciDevices(devices: readonly PciHostDevice[], pciIds: readonly string[]): PciHostDevice[] {
  return devices.filter((d) => d.ignoredReason === null && pciIds.includes(d.pciId));
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
