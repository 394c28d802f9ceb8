import { describe, expect, it } from 'vitest';
import { ObjectStore, keyOf } from './object-store.js';

const obj = (name: string, rv: string, ns = 'default') => ({ metadata: { name, namespace: ns, resourceVersion: rv } });

describe('ObjectStore', () => {
  it('keys namespaced and cluster-scoped objects like client-go', () => {
    expect(keyOf(obj('a', '1'))).toBe('default/a');
    expect(keyOf({ metadata: { name: 'node1' } })).toBe('node1');
  });

  it('turns a relist into add/update/delete and ignores unchanged resourceVersions', () => {
    const s = new ObjectStore();
    expect(s.replace([obj('a', '1'), obj('b', '1')]).map((c) => c.type)).toEqual(['add', 'add']);
    const changes = s.replace([obj('a', '1'), obj('b', '2'), obj('c', '1')]);
    expect(changes.map((c) => [c.type, c.obj.metadata?.name])).toEqual([
      ['update', 'b'],
      ['add', 'c'],
    ]);
    const gone = s.replace([obj('c', '1')]);
    expect(gone.map((c) => [c.type, c.obj.metadata?.name])).toEqual([
      ['delete', 'a'],
      ['delete', 'b'],
    ]);
    expect(s.size).toBe(1);
  });

  it('applies watch events and reports the old object on update', () => {
    const s = new ObjectStore();
    s.apply(obj('a', '1'));
    const ch = s.apply(obj('a', '2'));
    expect(ch?.type).toBe('update');
    expect(ch?.type === 'update' && ch.old.metadata?.resourceVersion).toBe('1');
    expect(s.apply(obj('a', '2'))).toBeUndefined();
    expect(s.remove(obj('a', '3'))?.type).toBe('delete');
    expect(s.remove(obj('a', '3'))).toBeUndefined();
  });
});
