import { VmiFactError } from '@qvirt/api';

/** A VMI that cannot be turned into a domain; the message names the field and why. */
export class DomainRenderError extends Error {
  override name = 'DomainRenderError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** Reads a VMI fact, reporting a bad field as a DomainRenderError (same field, same reason). */
export function fact<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof VmiFactError) throw new DomainRenderError(err.field, err.detail);
    throw err;
  }
}

/** The allocation env is unreadable or does not cover the devices the VMI asks for. */
export class AllocationError extends Error {
  override name = 'AllocationError';
  constructor(
    message: string,
    readonly resourceName: string,
    readonly envVar?: string,
  ) {
    super(message);
  }
}

/** Domain XML that parseDomainXml cannot read back into a model. */
export class DomainParseError extends Error {
  override name = 'DomainParseError';
}
