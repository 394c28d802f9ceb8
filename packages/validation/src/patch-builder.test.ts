import { describe, expect, it } from 'vitest';
import { PatchBuilder } from './patch-builder.js';

describe('PatchBuilder', () => {
  const doc = () => ({ spec: { domain: { cpu: { cores: 2 }, memory: 'x' }, list: [{ a: 1 }] }, nul: null });

  it('adds into existing objects, creates missing ones in one add, replaces nulls and list items', () => {
    const b = new PatchBuilder(doc());
    expect(b.set(['spec', 'domain', 'cpu', 'sockets'], 1)).toBe(true);
    expect(b.set(['spec', 'domain', 'machine', 'type'], 'q35')).toBe(true);
    expect(b.set(['nul', 'x'], 1)).toBe(true);
    expect(b.set(['spec', 'list', 0], { a: 2 })).toBe(true);
    expect(b.ops).toEqual([
      { op: 'add', path: '/spec/domain/cpu/sockets', value: 1 },
      { op: 'add', path: '/spec/domain/machine', value: { type: 'q35' } },
      { op: 'replace', path: '/nul', value: { x: 1 } },
      { op: 'replace', path: '/spec/list/0', value: { a: 2 } },
    ]);
  });

  it('never patches through a value of the wrong type or past a list end', () => {
    const b = new PatchBuilder(doc());
    expect(b.set(['spec', 'domain', 'memory', 'guest'], '1Gi')).toBe(false);
    expect(b.set(['spec', 'list', 5], 1)).toBe(false);
    expect(b.set(['spec', 'list', 'x'], 1)).toBe(false);
    expect(b.ops).toEqual([]);
  });

  it('reads the input, not its own writes', () => {
    const b = new PatchBuilder(doc());
    b.set(['spec', 'domain', 'machine', 'type'], 'q35');
    expect(b.isUnset(['spec', 'domain', 'machine', 'type'])).toBe(true);
    expect(b.get(['spec', 'domain', 'cpu', 'cores'])).toBe(2);
  });

  it('scopes: a builder at an object writes into the same patch with paths below it', () => {
    const b = new PatchBuilder(doc());
    const domain = b.at(['spec', 'domain'])!;
    expect(domain.get(['cpu', 'cores'])).toBe(2);
    domain.set(['cpu', 'threads'], 1);
    expect(b.at(['spec', 'domain', 'memory'])).toBeUndefined();
    b.at(['spec', 'list', 0])!.set(['b'], 2);
    expect(b.ops).toEqual([
      { op: 'add', path: '/spec/domain/cpu/threads', value: 1 },
      { op: 'add', path: '/spec/list/0/b', value: 2 },
    ]);
    const escaped = new PatchBuilder({ 'a/b': { c: {} } });
    escaped.at(['a/b'])!.set(['c', 'd~'], 1);
    expect(escaped.ops).toEqual([{ op: 'add', path: '/a~1b/c/d~0', value: 1 }]);
  });
});
