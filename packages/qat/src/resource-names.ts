// Resource names for QAT VFs.
//
// Gen1/2 (DH895xCC, C62x, C3xxx, C4xxx, D15xx) VFs all expose the same
// firmware services, so they are one pool: `qat.intel.com/generic`.
//
// Gen4+ (4xxx, 401xx, 402xx, 420xx, 6xxx) VFs inherit the service set the PF
// was configured with in `<pf>/qat/cfg_services`; a VM asking for compression
// must not get a crypto-only VF, so each service set is its own resource.
// The set is order-insensitive (`asym;sym` == `sym;asym`):
//
//   sym;asym   -> qat.intel.com/cy      (the kernel's "crypto" service)
//   sym        -> qat.intel.com/sym
//   asym       -> qat.intel.com/asym
//   dc         -> qat.intel.com/dc
//   dcc        -> qat.intel.com/dcc     (420xx compression chaining)
//   decomp     -> qat.intel.com/decomp  (6xxx)
//   asym;dc    -> qat.intel.com/asym-dc
//   sym;dc     -> qat.intel.com/sym-dc
//   any other known combination -> the tokens in the order
//   asym, sym, dc, dcc, decomp joined by "-" (e.g. `qat.intel.com/sym-decomp`).
//
// These follow Intel's QAT device plugin names where that plugin has one, so
// `permittedHostDevices` entries carry over between the two.

export const QAT_RESOURCE_PREFIX = 'qat.intel.com/';
export const QAT_RESOURCE_GENERIC = 'qat.intel.com/generic';

const SERVICE_ORDER = ['asym', 'sym', 'dc', 'dcc', 'decomp'] as const;
export type QatService = (typeof SERVICE_ORDER)[number];

export type ServiceResourceResult =
  { readonly ok: true; readonly resourceName: string; readonly services: readonly QatService[] } | { readonly ok: false; readonly reason: string };

/** Maps the text of `qat/cfg_services` to a resource name (pure). */
export function resourceForServices(cfgServices: string): ServiceResourceResult {
  const tokens = cfgServices
    .trim()
    .toLowerCase()
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (tokens.length === 0) return { ok: false, reason: 'cfg_services is empty' };
  const unknown = tokens.filter((t) => !(SERVICE_ORDER as readonly string[]).includes(t));
  if (unknown.length > 0) {
    return { ok: false, reason: `cfg_services "${cfgServices.trim()}" has unknown service ${unknown.join(', ')}` };
  }
  const services = SERVICE_ORDER.filter((s) => tokens.includes(s));
  const suffix = services.length === 2 && services[0] === 'asym' && services[1] === 'sym' ? 'cy' : services.join('-');
  return { ok: true, resourceName: QAT_RESOURCE_PREFIX + suffix, services };
}

/**
 * Env var name for an allocation (KubeVirt's rule): `PCI_RESOURCE_` + the
 * resource name upper-cased with `/` and `.` replaced by `_`; hyphens kept.
 */
export function pciResourceEnvName(resourceName: string): string {
  return 'PCI_RESOURCE_' + resourceName.toUpperCase().replace(/[/.]/g, '_');
}
