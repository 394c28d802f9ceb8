import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTempDir } from './temp-dir.js';

const seen: string[] = [];

describe('useTempDir', () => {
  const dir = useTempDir('qvirt-testing-');

  it('gives each test a fresh, empty directory under the temp dir', async () => {
    expect(dirname(dir())).toBe(tmpdir());
    expect(basename(dir())).toMatch(/^qvirt-testing-/);
    await writeFile(join(dir(), 'a'), 'x');
    seen.push(dir());
  });

  it('and removes it with its contents afterwards', () => {
    expect(seen).toHaveLength(1);
    expect(existsSync(seen[0]!)).toBe(false);
    expect(dir()).not.toBe(seen[0]);
    seen.push(dir());
  });
});

describe('useTempDir scope all', () => {
  const dir = useTempDir('qvirt-testing-all-', { scope: 'all' });
  const dirs: string[] = [];
  it('keeps one directory', () => void dirs.push(dir()));
  it('for every test of the block', () => {
    dirs.push(dir());
    expect(dirs[0]).toBe(dirs[1]);
    seen.push(dir());
  });
});

afterAll(() => {
  for (const d of seen) expect(existsSync(d)).toBe(false);
});

describe('outside a test', () => {
  const dir = useTempDir('qvirt-testing-unused-');
  it('the accessor is only for tests and later hooks', () => expect(typeof dir()).toBe('string'));
  expect(() => dir()).toThrow(/no directory here/);
});
