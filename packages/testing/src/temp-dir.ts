import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export interface TempDirOptions {
  /** `each` (default): a fresh directory for every test; `all`: one for the file or describe block it is called in. */
  scope?: 'each' | 'all';
  /** Where to create it; default os.tmpdir(). */
  parent?: string;
}

/**
 * A temporary directory made before each test (or once, `scope: 'all'`) and removed after it, with
 * everything in it. Call it where you would write the beforeEach/afterEach pair; it returns the
 * accessor for the path, to read inside hooks registered after it and inside tests. Its removal
 * runs after the hooks registered later (vitest runs after-hooks in reverse), so servers on
 * sockets inside it are closed first.
 */
export function useTempDir(prefix: string, opts: TempDirOptions = {}): () => string {
  let dir: string | undefined;
  const [before, after] = opts.scope === 'all' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(async () => {
    dir = await mkdtemp(join(opts.parent ?? tmpdir(), prefix));
  });
  after(async () => {
    const d = dir;
    dir = undefined;
    if (d !== undefined) await rm(d, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error(`useTempDir('${prefix}'): no directory here; read it in a test or in a hook registered after useTempDir`);
    return dir;
  };
}
