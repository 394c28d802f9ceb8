// The constants subpath only: virt-launcher loads this module, and the api index brings the schemas.
import { pciResourceEnvName, ResourceNames } from '@qvirt/api/constants';
import { AllocationError } from './errors.js';
import { normalizePciAddress, parsePciAddress } from './pci-address.js';

// Re-exported so the launcher imports this module alone (not the domain index and its XML stack).
export { AllocationError };

/** Resource name -> PCI addresses the device plugins allocated to this pod, in allocation order. */
export type Allocation = ReadonlyMap<string, readonly string[]>;

/** Intel's QAT plugin sets `QAT0`, `QAT1`, ... with one address each. */
const INTEL_QAT_ENV_RE = /^QAT(\d+)$/;

export function isQatResource(resourceName: string): boolean {
  return resourceName.startsWith(ResourceNames.qatPrefix);
}

/**
 * Reads the allocation of `resourceNames` from a process environment:
 * `PCI_RESOURCE_<NAME>` (KubeVirt's PCI plugin and ours) and, for `qat.intel.com/*` resources
 * without such a variable, Intel's `QAT<n>` variables. Resources with no variable at all are
 * left out of the map (assignDevices reports them when a device needs them).
 */
export function allocationFromEnv(env: Record<string, string | undefined>, resourceNames: readonly string[]): Allocation {
  const result = new Map<string, string[]>();
  const seen = new Map<string, { envVar: string; resource: string }>();
  const take = (envVar: string, resource: string, raw: string): string => {
    const address = normalizePciAddress(raw);
    if (address === undefined || parsePciAddress(address) === undefined) {
      throw new AllocationError(
        `${envVar}: ${JSON.stringify(raw.trim())} for resource ${resource} is not a PCI address (expected e.g. 0000:3d:01.1)`,
        resource,
        envVar,
      );
    }
    const earlier = seen.get(address);
    if (earlier) {
      const where = earlier.envVar === envVar ? `${envVar}` : `${earlier.envVar} and ${envVar}`;
      throw new AllocationError(
        `${envVar}: address ${address} for resource ${resource} is given twice (in ${where}); each device can be allocated once`,
        resource,
        envVar,
      );
    }
    seen.set(address, { envVar, resource });
    return address;
  };

  const unique = [...new Set(resourceNames)];
  const qatWithoutPciEnv: string[] = [];
  for (const resource of unique) {
    const envVar = pciResourceEnvName(resource);
    const value = env[envVar];
    if (value === undefined) {
      if (isQatResource(resource)) qatWithoutPciEnv.push(resource);
      continue;
    }
    const addresses = value
      .split(',')
      .map((s) => s.trim())
      // KubeVirt tolerates a trailing comma; an empty entry anywhere carries no address either.
      .filter((s) => s.length > 0)
      .map((s) => take(envVar, resource, s));
    result.set(resource, addresses);
  }

  const intelVars = intelQatEnv(env);
  if (intelVars.length > 0 && qatWithoutPciEnv.length > 0) {
    if (qatWithoutPciEnv.length > 1) {
      // Intel's variables do not say which resource a VF came from.
      throw new AllocationError(
        `${intelVars.map((v) => v.envVar).join(',')}: Intel QAT plugin variables cannot be attributed to one of ` +
          `${qatWithoutPciEnv.join(', ')}; set ${qatWithoutPciEnv.map(pciResourceEnvName).join(', ')} instead`,
        qatWithoutPciEnv[0]!,
        intelVars[0]!.envVar,
      );
    }
    const resource = qatWithoutPciEnv[0]!;
    result.set(
      resource,
      intelVars.map(({ envVar, value }) => take(envVar, resource, value)),
    );
  }
  return result;
}

function intelQatEnv(env: Record<string, string | undefined>): { envVar: string; index: number; value: string }[] {
  const vars: { envVar: string; index: number; value: string }[] = [];
  for (const [envVar, value] of Object.entries(env)) {
    const m = INTEL_QAT_ENV_RE.exec(envVar);
    if (m && value !== undefined) vars.push({ envVar, index: Number(m[1]), value });
  }
  return vars.sort((a, b) => a.index - b.index);
}
