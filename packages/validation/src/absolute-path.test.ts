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
});
