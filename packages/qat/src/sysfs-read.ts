import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SysfsReadError } from './errors.js';
import { normalizeHexId } from './pci-ids.js';

// sysfs attributes are kernel-generated, in memory and tiny: synchronous reads
// cost ~30 us each against ~250 us through fs/promises (open+fstat+read+close
// on the thread pool), which made discovery of 256 VFs ~8x slower. The async
// signatures stay so callers need not change if a slow source appears.

// "Not there" codes: a missing attribute or link is data, not a failure.
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EINVAL', 'ENODEV']);

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function wrap(path: string, err: unknown): SysfsReadError {
  return new SysfsReadError(path, errCode(err), err instanceof Error ? err.message : String(err));
}

/** Trimmed text of a sysfs attribute, or null when it does not exist. */
export async function readAttr(path: string): Promise<string | null> {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    if (ABSENT.has(errCode(err) ?? '')) return null;
    throw wrap(path, err);
  }
}

/** Basename of a symlink's target (`driver`, `iommu_group`, `physfn`), or null. */
export async function readLinkBasename(path: string): Promise<string | null> {
  try {
    return basename(readlinkSync(path));
  } catch (err) {
    if (ABSENT.has(errCode(err) ?? '')) return null;
    throw wrap(path, err);
  }
}

/** Sorted entries of a directory, or [] when it does not exist. */
export async function listDir(path: string): Promise<string[]> {
  try {
    return readdirSync(path).sort();
  } catch (err) {
    if (ABSENT.has(errCode(err) ?? '')) return [];
    throw wrap(path, err);
  }
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    statSync(path);
    return true;
  } catch (err) {
    if (ABSENT.has(errCode(err) ?? '')) return false;
    throw wrap(path, err);
  }
}

/** `numa_node` text to a node number; -1 (unknown) and absent become null. */
export function parseNumaNode(text: string | null): number | null {
  if (text === null) return null;
  const n = Number.parseInt(text, 10);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

export function parseCount(text: string | null): number | null {
  if (text === null) return null;
  const n = Number.parseInt(text, 10);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** `PCI_ID=8086:37C9` from a uevent file, as [vendor, device]. */
export function pciIdFromUevent(uevent: string | null): [string, string] | null {
  const m = uevent?.match(/^PCI_ID=([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$/m);
  return m && m[1] && m[2] ? [m[1].toLowerCase(), m[2].toLowerCase()] : null;
}

/** A function's [vendor, device] as lower-case hex without 0x, from its attributes or else its uevent; null when neither says. */
export async function readPciId(functionDir: string): Promise<[string, string] | null> {
  const [vendor, device] = await Promise.all([readAttr(join(functionDir, 'vendor')), readAttr(join(functionDir, 'device'))]);
  if (vendor !== null && device !== null) return [normalizeHexId(vendor), normalizeHexId(device)];
  return pciIdFromUevent(await readAttr(join(functionDir, 'uevent')));
}

export { errCode };
