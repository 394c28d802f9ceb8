// The filesystem side of run-dir-cleanup.ts: probe and remove `<run-dir>/<vmi-uid>/`.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { launcherSocketPath, libvirtSocketPath } from '@qvirt/api';

/** What the reconciler needs to clean up VMIs' run directories. */
export interface RunDirs {
  exists(uid: string): boolean;
  /** True while the launcher's gRPC socket or its libvirtd's socket accepts a connection. */
  launcherAnswers(uid: string): Promise<boolean>;
  remove(uid: string): Promise<void>;
}

export function fsRunDirs(runDir: string, probeTimeoutMs = 1000): RunDirs {
  return {
    exists: (uid) => existsSync(`${runDir}/${uid}`),
    async launcherAnswers(uid) {
      const answers = await Promise.all([launcherSocketPath(runDir, uid), libvirtSocketPath(runDir, uid)].map((p) => socketAnswers(p, probeTimeoutMs)));
      return answers.some((a) => a);
    },
    remove: (uid) => rm(`${runDir}/${uid}`, { recursive: true, force: true }),
  };
}

/** A listener accepts on the unix socket: a stale socket file (its process gone) refuses, a missing one fails. */
export function socketAnswers(path: string, timeoutMs: number): Promise<boolean> {
  if (!existsSync(path)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const s = connect(path);
    const done = (v: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    // A process that is alive but too busy to accept still counts as running.
    const timer = setTimeout(() => done(true), timeoutMs);
    s.once('connect', () => done(true));
    s.once('error', (err: NodeJS.ErrnoException) => done(err.code !== 'ECONNREFUSED' && err.code !== 'ENOENT'));
  });
}
