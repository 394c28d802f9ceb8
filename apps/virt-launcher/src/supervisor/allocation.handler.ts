import { pciResourceEnvName } from '@qvirt/api/constants';
import { AllocationError, allocationFromEnv, isQatResource } from '@qvirt/domain/allocation';
import { LauncherRpcError, type ResourceAllocation } from '@qvirt/launcher-rpc';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * GetAllocation: the PCI addresses the device plugins put into this pod's env for each resource
 * the handler asks about. Missing or malformed env is FAILED_PRECONDITION naming the variable:
 * the handler must not render a domain from a guess.
 */
export function allocationAnswer(env: Env, resourceNames: readonly string[]): ResourceAllocation[] {
  const names = [...new Set(resourceNames)];
  for (const name of names) {
    if (name.trim() === '') throw new LauncherRpcError('INVALID_ARGUMENT', 'resource_names: empty resource name');
  }
  let allocation: ReadonlyMap<string, readonly string[]>;
  try {
    allocation = allocationFromEnv({ ...env }, names);
  } catch (err) {
    if (err instanceof AllocationError) throw new LauncherRpcError('FAILED_PRECONDITION', err.message);
    throw err;
  }
  return names.map((resourceName) => {
    const addresses = allocation.get(resourceName);
    const envVar = pciResourceEnvName(resourceName);
    if (addresses === undefined) {
      const alt = isQatResource(resourceName) ? ' (nor Intel QAT plugin variables QAT0, QAT1, ...)' : '';
      throw new LauncherRpcError('FAILED_PRECONDITION', `${envVar} is not set${alt}: no ${resourceName} device was allocated to this launcher pod`);
    }
    if (addresses.length === 0) {
      throw new LauncherRpcError('FAILED_PRECONDITION', `${envVar} is empty: no ${resourceName} device was allocated to this launcher pod`);
    }
    return { resourceName, pciAddresses: [...addresses], sourceEnv: sourceEnvOf(env, resourceName) };
  });
}

function sourceEnvOf(env: Env, resourceName: string): string {
  const envVar = pciResourceEnvName(resourceName);
  if (env[envVar] !== undefined) return envVar;
  return Object.keys(env)
    .filter((k) => /^QAT\d+$/.test(k))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)))
    .join(',');
}
