/** Why a fact cannot be read from a VMI; callers map `reason` to their own event/condition reason. */
export type VmiFactReason = 'MissingMemory' | 'InvalidQuantity' | 'InvalidCpuTopology';

/** A VMI field that does not yield the fact asked for; the message names the field and why. */
export class VmiFactError extends Error {
  override name = 'VmiFactError';
  constructor(
    readonly reason: VmiFactReason,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}
