/** A sysfs or /dev read failed for a reason other than "not there". */
export class SysfsReadError extends Error {
  override readonly name = 'SysfsReadError';
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(`cannot read ${path}: ${message}`);
  }
}

/** Binding a VF to vfio-pci failed; the message says which step and why. */
export class VfioBindError extends Error {
  override readonly name = 'VfioBindError';
  constructor(
    readonly address: string,
    message: string,
  ) {
    super(`bind ${address} to vfio-pci: ${message}`);
  }
}

/** The fake host spec is inconsistent (test support). */
export class FakeHostSpecError extends Error {
  override readonly name = 'FakeHostSpecError';
}
