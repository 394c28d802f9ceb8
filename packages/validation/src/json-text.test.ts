import { describe, expect, it } from 'vitest';
import { jsonString, jsonText } from './json-text.js';
import { rng } from './test-fixtures.js';

const STRINGS = ['', 'plain', 'quote"', 'back\\slash', 'new\nline', 'tab\t', '\u0000', '\u007f', 'é', '雪', '😀', '\ud800', 'a\udc00b', '</script>', '~1/x'];
const NUMBERS = [0, -0, 1, -1.5, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, 2 ** 64, NaN, Infinity, -Infinity];

/** A random JSON-ish tree: what a parsed manifest and a patch hold, plus undefined members and holes. */
function randomValue(random: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const r = random();
  if (depth > 3 || r < 0.4) return pick<unknown>([...STRINGS, ...NUMBERS, true, false, null]);
  if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => (random() < 0.1 ? undefined : randomValue(random, depth + 1)));
  const o: Record<string, unknown> = {};
  for (let n = Math.floor(random() * 4); n > 0; n--) o[pick([...STRINGS, '1', '0', 'op', 'path', 'value'])] = random() < 0.1 ? undefined : randomValue(random, depth + 1);
  return o;
}

describe('jsonText', () => {
  it('writes the same text as JSON.stringify for 5,000 random JSON trees', () => {
    const random = rng(7);
    for (let i = 0; i < 5000; i++) {
      const v = randomValue(random, 0);
      expect(jsonText(v), JSON.stringify(v)).toBe(JSON.stringify(v));
    }
  });

  it('writes a JSON patch as JSON.stringify does', () => {
    const patch = [
      { op: 'add', path: '/metadata/finalizers', value: ['foregroundDeleteVirtualMachine'] },
      { op: 'add', path: '/spec/domain/cpu', value: { cores: 2, sockets: 1, threads: 1 } },
      { op: 'remove', path: '/spec/x~1y' },
    ];
    expect(jsonText(patch)).toBe(JSON.stringify(patch));
  });

  it('leaves what JSON cannot hold to JSON.stringify: class instances, toJSON, functions, bigint', () => {
    const date = new Date(0);
    expect(jsonText({ at: date, m: new Map(), f: () => 1 })).toBe(JSON.stringify({ at: date, m: new Map(), f: () => 1 }));
    expect(jsonText([() => 1, Symbol('s')])).toBe('[null,null]');
    expect(() => jsonText(1n)).toThrow(TypeError);
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(jsonText(bare)).toBe('{"a":1}');
  });
});

describe('jsonString', () => {
  it('quotes plain strings as they are and escapes the rest as JSON.stringify does', () => {
    for (const s of STRINGS) expect(jsonString(s)).toBe(JSON.stringify(s));
    expect(jsonString('705ab4f5-6393-11e8-b7cc-42010a800002')).toBe('"705ab4f5-6393-11e8-b7cc-42010a800002"');
  });
});
