import { randomBytes } from 'node:crypto';
import { PkiInputError } from './errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Backdating notBefore tolerates small clock differences between processes and hosts. */
const BACKDATE_MS = 5 * 60 * 1000;

export function validityWindow(validityDays: number, now: Date = new Date()): { notBefore: Date; notAfter: Date } {
  if (!Number.isFinite(validityDays) || validityDays <= 0) {
    throw new PkiInputError('validityDays', `must be a positive number of days, got ${String(validityDays)}`);
  }
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + validityDays * DAY_MS) };
}

/** A random positive 128-bit serial number (hex), as RFC 5280 recommends. */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f || 0x01;
  return bytes.toString('hex');
}

export function requireName(value: string | undefined, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new PkiInputError(field, 'must be a non-empty string');
  return value;
}
