import type { VirtualMachineInstance } from '../types/vmi.js';

/** KubeVirt's default spec.terminationGracePeriodSeconds for a VMI. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

/** How long the guest has between the first ACPI shutdown and destroy. */
export function gracePeriodSeconds(vmi: VirtualMachineInstance): number {
  const g = vmi.spec?.terminationGracePeriodSeconds;
  return typeof g === 'number' && Number.isFinite(g) && g >= 0 ? g : DEFAULT_GRACE_PERIOD_SECONDS;
}
