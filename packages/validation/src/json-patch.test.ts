import { describe, expect, it } from 'vitest';
import { applyJsonPatch, cloneJson, escapePointerSegment, jsonPointer, JsonPatchError, parseJsonPointer } from './json-patch.js';

describe('JSON pointers', () => {
  it('escapes ~ and / (RFC 6901) and round-trips', () => {
    expect(escapePointerSegment('a/b~c')).toBe('a~1b~0c');
    expect(jsonPointer(['metadata', 'labels', 'kubevirt.io/created-by', 0])).toBe('/metadata/labels/kubevirt.io~1created-by/0');
    expect(parseJsonPointer('/a~1b/~01')).toEqual(['a/b', '~1']);
    expect(() => parseJsonPointer('a')).toThrow(JsonPatchError);
  });
});

describe('applyJsonPatch', () => {
  const doc = { spec: { a: 1, list: ['x', 'y'] }, metadata: { labels: { 'kubevirt.io/x': 'v' } } };

  it('adds, replaces and removes without touching the input', () => {
    const before = JSON.stringify(doc);
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/spec/b', value: { c: 2 } },
      { op: 'replace', path: '/spec/a', value: 3 },
      { op: 'add', path: '/spec/list/1', value: 'm' },
      { op: 'add', path: '/spec/list/-', value: 'z' },
      { op: 'remove', path: '/spec/list/0' },
      { op: 'remove', path: '/metadata/labels/kubevirt.io~1x' },
      { op: 'add', path: '/spec/a', value: 4 },
    ]);
    expect(out).toEqual({ spec: { a: 4, b: { c: 2 }, list: ['m', 'y', 'z'] }, metadata: { labels: {} } });
    expect(JSON.stringify(doc)).toBe(before);
  });

  it('copies values, so the result does not alias the patch', () => {
    const value = { x: 1 };
    const out = applyJsonPatch({}, [{ op: 'add', path: '/v', value }]) as { v: { x: number } };
    value.x = 2;
    expect(out.v.x).toBe(1);
  });

  it('names the path when an operation cannot apply', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/nope/x', value: 1 }])).toThrow('path /nope/x: /nope does not exist');
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/spec/zz', value: 1 }])).toThrow('replace at /spec/zz: no such member');
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/list/5' }])).toThrow('index 5 is out of bounds');
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/spec/list/01', value: 1 }])).toThrow('is not an array index');
  });
});

describe('cloneJson', () => {
  it('copies deeply as a JSON round trip would, sharing nothing', () => {
    const src = JSON.parse('{"a":{"b":[1,{"c":"x"}]},"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copy = cloneJson(src);
    expect(copy).toEqual(JSON.parse(JSON.stringify(src)));
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    ((copy['a'] as { b: unknown[] }).b[1] as { c: string }).c = 'changed';
    expect(JSON.stringify(src)).toContain('"c":"x"');
  });
  it('drops undefined members and turns undefined array items into null', () => {
    expect(cloneJson({ a: undefined, b: [undefined, 1] })).toStrictEqual({ b: [null, 1] });
  });
});
