// When the handler may remove a VMI's `<run-dir>/<vmi-uid>/` (sockets, console log, libvirt and
// QEMU logs): once the VMI is deleted from the API and its launcher is gone. A final VMI that still
// exists keeps its directory, so its console and libvirt logs stay there to explain how it ended. Pure: the
// side-effect layer (vmi.reconciler.ts, run-dirs.ts) probes the filesystem and does the removal.
import type { VirtualMachineInstance } from '@qvirt/api';

/** What was probed about one VMI's run directory. */
export interface RunDirProbe {
  uid: string;
  /** The uid's directory, or just its launcher socket file (a launcher killed outright), is there. */
  dirExists: boolean;
  /** The launcher's gRPC socket or its libvirtd's socket accepts a connection. */
  launcherAnswers: boolean;
  /** Earlier probes that found the launcher still answering (backoff). */
  attempts: number;
}

export type RunDirStep =
  /** Nothing (left) to remove. */
  | { kind: 'done' }
  | { kind: 'remove' }
  /** The launcher still runs (tearing its domain down, or its pod not yet deleted): look again later. */
  | { kind: 'wait'; afterMs: number; why: string };

/** A uid as the API server makes them: never empty, no path separators, so `<run-dir>/<uid>` stays inside the run dir. */
const UID = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

export function planRunDirCleanup(p: RunDirProbe): RunDirStep {
  if (!UID.test(p.uid) || !p.dirExists) return { kind: 'done' };
  if (p.launcherAnswers) return { kind: 'wait', afterMs: Math.min(30_000, 500 * 2 ** Math.min(p.attempts, 6)), why: 'the launcher still answers' };
  return { kind: 'remove' };
}

/**
 * The uid whose run directory is now unused, or undefined. `knownUid` is the uid the handler
 * followed under this key. A VMI that still exists (active or final) keeps its directory.
 */
export function unusedRunDirUid(vmi: VirtualMachineInstance | undefined, knownUid: string | undefined): string | undefined {
  if (!vmi) return knownUid; // deleted from the API
  if (knownUid && knownUid !== vmi.metadata.uid) return knownUid; // deleted and created again under the same name
  return undefined;
}

/** A uid as the API server generates them (RFC 4122), so `sockets` or another tool's directory is never taken for a VMI's. */
const API_UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The VMI uids that own something in the run dir: a `<uid>` directory or a `sockets/<uid>.sock`
 * (a launcher killed outright leaves its socket file behind).
 */
export function runDirUids(dirEntries: readonly string[], socketEntries: readonly string[]): string[] {
  const uids = new Set(dirEntries.filter((e) => API_UID.test(e)));
  for (const e of socketEntries) {
    const uid = e.endsWith('.sock') ? e.slice(0, -'.sock'.length) : '';
    if (API_UID.test(uid)) uids.add(uid);
  }
  return [...uids].sort();
}

/**
 * Run directories no VMI in the API owns: VMIs deleted while the handler was down, which no
 * delete event will ever name. Found once the VMI cache has synced, at start-up.
 */
export function orphanRunDirUids(found: readonly string[], vmiUids: ReadonlySet<string>): string[] {
  return found.filter((uid) => !vmiUids.has(uid));
}
