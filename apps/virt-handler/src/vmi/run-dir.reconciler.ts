// Removes `<run-dir>/<vmi-uid>/` once no VMI with that uid exists and its launcher is gone
// (run-dir-cleanup.ts decides). Its own queue, keyed by uid: fed by VMI delete events and, at
// start-up, by every uid found in the run dir (VMIs deleted while the handler was down).
// Level-based: each look asks the VMI cache and the filesystem afresh.
import type { VirtualMachineInstance } from '@qvirt/api';
import type { Logger } from '@qvirt/log';
import { type ReconcileResult } from '@qvirt/kube/controller';
import { planRunDirCleanup } from './run-dir-cleanup.js';
import type { RunDirs } from './run-dirs.js';

export interface RunDirReconcilerOptions {
  vmis: { list(): VirtualMachineInstance[] };
  runDirs: RunDirs;
  logger: Logger;
}

export class RunDirReconciler {
  /** Looks that found the launcher still answering, by uid (the backoff). */
  private readonly attempts = new Map<string, number>();

  constructor(private readonly o: RunDirReconcilerOptions) {}

  /** Every uid with something in the run dir: the start-up sweep. */
  list(): Promise<string[]> {
    return this.o.runDirs.list();
  }

  async reconcile(uid: string): Promise<ReconcileResult | void> {
    // A VMI that still exists, active or final, keeps its directory: its logs explain how it ended.
    if (this.o.vmis.list().some((v) => v.metadata.uid === uid)) return this.done(uid);
    const dirExists = this.o.runDirs.exists(uid);
    const attempts = this.attempts.get(uid) ?? 0;
    const step = planRunDirCleanup({ uid, dirExists, launcherAnswers: dirExists && (await this.o.runDirs.launcherAnswers(uid)), attempts });
    if (step.kind === 'wait') {
      this.attempts.set(uid, attempts + 1);
      return { requeueAfterMs: step.afterMs };
    }
    if (step.kind === 'remove') {
      await this.o.runDirs.remove(uid);
      this.o.logger.info({ uid }, 'removed the run directory of a VMI whose launcher is gone');
    }
    return this.done(uid);
  }

  private done(uid: string): void {
    this.attempts.delete(uid);
  }
}
