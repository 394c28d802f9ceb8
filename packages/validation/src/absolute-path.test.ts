import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateAbsoluteFilePath } from './absolute-path.js';

describe('validateAbsoluteFilePath (KubeVirt validatePath)', () => {
  it.each(['/boot/vmlinuz', '/a/b/', '/x'])('%j is fine', (p) => expect(validateAbsoluteFilePath('f', p)).toEqual([]));
  it.each(['boot/vmlinuz', '/a/../b', '/a/./b', '/a//b', '/a//', ''])('%j is relative or not clean', (p) =>
    expect(validateAbsoluteFilePath('f', p)).toEqual([
      { type: 'FieldValueInvalid', field: 'f', message: 'f must be an absolute path to a file without relative components' },
    ]),
  );
  it('refuses the root', () => {
    expect(validateAbsoluteFilePath('f', '/')).toEqual([{ type: 'FieldValueInvalid', field: 'f', message: 'f must not point to root' }]);
  });

  it('agrees with Go-style Clean on every path of up to four segments from a tricky alphabet', () => {
    // The validator has a fast path for already-clean paths; Clean here is the slow, obvious rule.
    const cleanRule = (p: string): boolean => {
      const normalized = posix.normalize(`/${p}`);
      const cleaned = normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
      return cleaned === (p.endsWith('/') ? p.slice(0, -1) : p);
    };
    const segments = ['', '.', '..', '...', 'a', '.a', '..a', 'a.', 'a..b'];
    const paths = new Set<string>(['']);
    for (let depth = 0; depth < 4; depth++) {
      for (const p of [...paths]) {
        for (const s of segments) {
          paths.add(`${p}/${s}`);
          paths.add(`${p}${s}`);
        }
      }
    }
    let checked = 0;
    for (const p of paths) {
      if (p === '/') continue;
      expect(validateAbsoluteFilePath('f', p).length === 0, p).toBe(cleanRule(p));
      checked++;
    }
    expect(checked).toBeGreaterThan(5000);
  });
});
