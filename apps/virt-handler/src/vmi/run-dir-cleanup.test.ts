import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { orphanRunDirUids, planRunDirCleanup, runDirUids, unusedRunDirUid } from './run-dir-cleanup.js';
import { fsRunDirs, socketAnswers } from './run-dirs.js';
import { testVmi } from '../testing/fixtures.js';

describe('planRunDirCleanup', () => {
  const probe = { uid: 'a1b2-c3', dirExists: true, launcherAnswers: false, attempts: 0 };
  it('removes the directory once the launcher answers on neither socket', () => {
    expect(planRunDirCleanup(probe)).toEqual({ kind: 'remove' });
  });
  it('waits, with backoff up to 30 s, while the launcher still answers', () => {
    expect(planRunDirCleanup({ ...probe, launcherAnswers: true })).toMatchObject({ kind: 'wait', afterMs: 500 });
    expect(planRunDirCleanup({ ...probe, launcherAnswers: true, attempts: 2 })).toMatchObject({ kind: 'wait', afterMs: 2000 });
    expect(planRunDirCleanup({ ...probe, launcherAnswers: true, attempts: 50 })).toMatchObject({ kind: 'wait', afterMs: 30_000 });
  });
  it('nothing to do for a missing directory, and never a path outside the run dir', () => {
    expect(planRunDirCleanup({ ...probe, dirExists: false })).toEqual({ kind: 'done' });
    for (const uid of ['', '..', '.', 'a/b', '../etc', 'sockets/..']) expect(planRunDirCleanup({ ...probe, uid })).toEqual({ kind: 'done' });
  });
});

describe('unusedRunDirUid', () => {
  it('deleted from the API: the uid the handler followed', () => {
    expect(unusedRunDirUid(undefined, 'uid-1')).toBe('uid-1');
    expect(unusedRunDirUid(undefined, undefined)).toBeUndefined();
  });
  it('a VMI that still exists keeps its directory, final or not (its logs explain how it ended)', () => {
    expect(unusedRunDirUid(testVmi({ status: { phase: 'Failed', nodeName: 'node1' } }), undefined)).toBeUndefined();
    expect(unusedRunDirUid(testVmi({ status: { phase: 'Succeeded', nodeName: 'node1' } }), 'uid-1')).toBeUndefined();
    expect(unusedRunDirUid(testVmi({ status: { phase: 'Running', nodeName: 'node1' } }), 'uid-1')).toBeUndefined();
  });
  it('created again under the same name: the old uid', () => {
    const again = testVmi({ status: { phase: 'Running', nodeName: 'node2' } });
    again.metadata.uid = 'uid-2';
    expect(unusedRunDirUid(again, 'uid-1')).toBe('uid-1');
  });
});

describe('socketAnswers', () => {
  it('true while a listener accepts; false for a missing path or a socket file nobody listens on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rundir-'));
    try {
      const path = join(dir, 'l.sock');
      const server = createServer((c) => c.destroy());
      await new Promise<void>((r) => server.listen(path, r));
      expect(await socketAnswers(path, 1000)).toBe(true);
      await new Promise((r) => server.close(r));
      expect(await socketAnswers(path, 1000)).toBe(false);
      const stale = join(dir, 'stale.sock');
      await writeFile(stale, '');
      expect(await socketAnswers(stale, 1000)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('runDirUids and orphanRunDirUids', () => {
  const a = '0c8a4f52-1b5e-4a5e-9b55-6a3f0f1c2d10';
  const b = '705ab4f5-6393-11e8-b7cc-42010a800002';
  it('takes API uids from directories and socket names, nothing else', () => {
    expect(runDirUids([a, 'sockets', 'container-disks', 'private', `${b}.tmp`], [`${b}.sock`, `${a}.sock`, 'kubelet.sock', `${b}.sock.old`])).toEqual([a, b]);
    expect(runDirUids([], [])).toEqual([]);
  });
  it('orphans are the uids no VMI has', () => {
    expect(orphanRunDirUids([a, b], new Set([b]))).toEqual([a]);
    expect(orphanRunDirUids([a], new Set([a]))).toEqual([]);
  });
});

describe('fsRunDirs', () => {
  it('lists uids by directory or socket file, and removes both for a uid', async () => {
    const runDir = await mkdtemp(join(tmpdir(), 'rundir-'));
    const a = '0c8a4f52-1b5e-4a5e-9b55-6a3f0f1c2d10';
    const b = '705ab4f5-6393-11e8-b7cc-42010a800002';
    try {
      const dirs = fsRunDirs(runDir, 200);
      expect(await dirs.list()).toEqual([]); // no sockets/ yet
      await mkdir(join(runDir, a, 'log'), { recursive: true });
      await mkdir(join(runDir, 'sockets'));
      await writeFile(join(runDir, 'sockets', `${a}.sock`), ''); // left by a launcher killed outright
      await writeFile(join(runDir, 'sockets', `${b}.sock`), '');
      expect(await dirs.list()).toEqual([a, b]);
      expect(dirs.exists(b)).toBe(true);
      expect(await dirs.launcherAnswers(a)).toBe(false);
      await dirs.remove(a);
      await dirs.remove(b);
      expect(await dirs.list()).toEqual([]);
      expect(dirs.exists(a) || dirs.exists(b)).toBe(false);
      expect(await readdir(runDir)).toEqual(['sockets']);
    } finally {
      await rm(runDir, { recursive: true, force: true });
    }
  });
});
