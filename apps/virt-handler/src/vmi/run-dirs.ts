// The filesystem side of run-dir-cleanup.ts: probe and remove `<run-dir>/<vmi-uid>/`.
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { launcherExitPath, launcherSocketPath, libvirtSocketPath } from '@qvirt/api';
import { readExitRecord, type LauncherExitRecord } from '@qvirt/launcher-rpc';
import { runDirUids } from './run-dir-cleanup.js';

/** What the reconciler needs to clean up VMIs' run directories. */
export interface RunDirs {
  /** The uids with a directory or a launcher socket in the run dir. */
  list(): Promise<string[]>;
  /** The uid's directory or its launcher socket file is there. */
  exists(uid: string): boolean;
  /** True while the launcher's gRPC socket or its libvirtd's socket accepts a connection. */
  launcherAnswers(uid: string): Promise<boolean>;
  /** Removes the uid's directory and its launcher socket file. */
  remove(uid: string): Promise<void>;
  /** How the uid's launcher ended, if it has (it writes this before closing its sockets). */
  exitRecord(uid: string): Promise<LauncherExitRecord | undefined>;
}

export function fsRunDirs(runDir: string, probeTimeoutMs = 1000): RunDirs {
  return {
    async list() {
      const names = (dir: string) => readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
      return runDirUids(await names(runDir), await names(`${runDir}/sockets`));
    },
    exists: (uid) => existsSync(`${runDir}/${uid}`) || existsSync(launcherSocketPath(runDir, uid)),
    async launcherAnswers(uid) {
      const answers = await Promise.all([launcherSocketPath(runDir, uid), libvirtSocketPath(runDir, uid)].map((p) => socketAnswers(p, probeTimeoutMs)));
      return answers.some((a) => a);
    },
    async remove(uid) {
      await rm(`${runDir}/${uid}`, { recursive: true, force: true });
      await rm(launcherSocketPath(runDir, uid), { force: true });
    },
    exitRecord: (uid) => readExitRecord(launcherExitPath(runDir, uid)),
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
