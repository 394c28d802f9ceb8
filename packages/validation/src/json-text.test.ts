import { describe, expect, it } from 'vitest';
import type { JsonPatchOperation } from './json-patch.js';
import { jsonPatchBase64, jsonString } from './json-text.js';
import { rng } from './testing/fixtures.js';

const STRINGS = ['', 'plain', 'quote"', 'back\\slash', 'new\nline', 'tab\t', '\u0000', '\u007f', 'é', '雪', '😀', '\ud800', 'a\udc00b', '</script>', '~1/x'];
const NUMBERS = [0, -0, 1, -1.5, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, 2 ** 64, NaN, Infinity, -Infinity];

/** A random JSON-ish tree: what a parsed manifest and a patch hold, plus undefined members and holes. */
function randomValue(random: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const r = random();
  if (depth > 3 || r < 0.4) return pick<unknown>([...STRINGS, ...NUMBERS, true, false, null]);
  if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => (random() < 0.1 ? undefined : randomValue(random, depth + 1)));
  const o: Record<string, unknown> = {};
  for (let n = Math.floor(random() * 4); n > 0; n--)
    o[pick([...STRINGS, '1', '0', 'op', 'path', 'value'])] = random() < 0.1 ? undefined : randomValue(random, depth + 1);
  return o;
}

const text = (base64: string): string => Buffer.from(base64, 'base64').toString('utf8');

/** One value through the patch writer, as the value of a one-operation patch. */
const valueText = (v: unknown): string => text(jsonPatchBase64([{ op: 'add', path: '/v', value: v }]));
const stringified = (v: unknown): string => JSON.stringify([{ op: 'add', path: '/v', value: v }]);

describe('jsonPatchBase64: values', () => {
  it('encodes the same text as JSON.stringify for 5,000 random JSON trees', () => {
    const random = rng(7);
    for (let i = 0; i < 5000; i++) {
      const v = randomValue(random, 0);
      expect(valueText(v), JSON.stringify(v)).toBe(stringified(v));
    }
  });

  it('leaves what JSON cannot hold to JSON.stringify: class instances, toJSON, functions, bigint', () => {
    const v = { at: new Date(0), m: new Map(), f: () => 1, list: [() => 1, Symbol('s')] };
    expect(valueText(v)).toBe(stringified(v));
    expect(() => valueText(1n)).toThrow(TypeError);
    expect(valueText(Object.assign(Object.create(null) as object, { a: 1 }))).toBe(stringified({ a: 1 }));
    // The shared buffer is usable again after a throw midway.
    expect(valueText({ a: [1, 'b'] })).toBe(stringified({ a: [1, 'b'] }));
  });

  it('grows its buffer for a large value and writes a small one right after it', () => {
    const big = { s: 'x'.repeat(200_000), u: 'é'.repeat(50_000) };
    expect(valueText(big)).toBe(stringified(big));
    expect(valueText('small')).toBe(stringified('small'));
  });
});

describe('jsonPatchBase64', () => {
  it('encodes a JSON patch as JSON.stringify writes it, for every operation kind', () => {
    const patch: JsonPatchOperation[] = [
      { op: 'add', path: '/metadata/finalizers', value: ['foregroundDeleteVirtualMachine'] },
      { op: 'add', path: '/spec/domain/cpu', value: { cores: 2, sockets: 1, threads: 1 } },
      { op: 'replace', path: '/metadata/annotations/a"b\\c', value: 'é\n😀' },
      { op: 'remove', path: '/spec/x~1y' },
      { op: 'move', from: '/a', path: '/b' },
    ];
    expect(text(jsonPatchBase64(patch))).toBe(JSON.stringify(patch));
    expect(text(jsonPatchBase64([]))).toBe('[]');
    const random = rng(11);
    for (let i = 0; i < 500; i++) {
      const ops = Array.from({ length: 1 + Math.floor(random() * 4) }, (): JsonPatchOperation => ({
        op: 'add',
        path: `/p/${i}`,
        value: randomValue(random, 1),
      }));
      expect(text(jsonPatchBase64(ops))).toBe(JSON.stringify(ops));
    }
  });
});

describe('jsonString', () => {
  it('quotes plain strings as they are and escapes the rest as JSON.stringify does', () => {
    for (const s of STRINGS) expect(jsonString(s)).toBe(JSON.stringify(s));
    expect(jsonString('705ab4f5-6393-11e8-b7cc-42010a800002')).toBe('"705ab4f5-6393-11e8-b7cc-42010a800002"');
  });
});
