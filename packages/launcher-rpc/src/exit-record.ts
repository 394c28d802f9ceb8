// How a launcher ended, left in its run directory for the handler: the one thing the handler
// cannot ask a launcher that is gone. A handler restarted while a guest shut itself down finds
// the launcher exited and the domain undefined; without this it could only call that a failure.
import { readFile, rename, writeFile } from 'node:fs/promises';

/** `<run-dir>/<vmi-uid>/launcher-exit.json` (launcherExitPath in @qvirt/api). */
export interface LauncherExitRecord {
  /** The launcher's exit code (0 clean, 1 domain failed, 3 no domain, 4 launcher failed). */
  code: number;
  /** One line, as the launcher logs it. */
  reason: string;
  /** libvirt's stop reason (shutdown, destroyed, crashed, failed, ...) when a domain that ran has stopped. */
  domainStopReason?: string;
  /** RFC 3339. */
  time: string;
}

/** Written whole or not at all (rename), so a reader never sees half a record. */
export async function writeExitRecord(path: string, record: LauncherExitRecord): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(record) + '\n', { mode: 0o600 });
  await rename(tmp, path);
}

/** The record, or undefined when there is none; a file that is not a record is an error naming the path. */
export async function readExitRecord(path: string): Promise<LauncherExitRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseExitRecord(text, path);
}

export function parseExitRecord(text: string, path: string): LauncherExitRecord {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not JSON: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${path}: must be a JSON object`);
  const r = v as Record<string, unknown>;
  if (!Number.isInteger(r['code'])) throw new Error(`${path}: code must be an integer`);
  if (typeof r['reason'] !== 'string') throw new Error(`${path}: reason must be a string`);
  if (typeof r['time'] !== 'string') throw new Error(`${path}: time must be a string`);
  const stop = r['domainStopReason'];
  if (stop !== undefined && typeof stop !== 'string') throw new Error(`${path}: domainStopReason must be a string`);
  return { code: r['code'] as number, reason: r['reason'], time: r['time'], ...(stop !== undefined ? { domainStopReason: stop } : {}) };
}
