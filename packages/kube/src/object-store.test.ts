import { describe, expect, it } from 'vitest';
import { ObjectStore, keyOf, objectKey, parseKey } from './object-store.js';
import { ResourcePaths } from './resource-paths.js';

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

describe('object keys and paths', () => {
  it.each([
    ['ns1/vm1', { namespace: 'ns1', name: 'vm1' }],
    ['node1', { namespace: '', name: 'node1' }],
    ['ns/a/b', { namespace: 'ns', name: 'a/b' }],
  ])('parseKey(%s) is the inverse of objectKey', (key, ref) => {
    expect(parseKey(key)).toEqual(ref);
    expect(objectKey(ref.namespace, ref.name)).toBe(key);
  });

  it('builds the API paths qvirt uses', () => {
    expect(ResourcePaths.vmis()).toBe('/apis/kubevirt.io/v1/virtualmachineinstances');
    expect(ResourcePaths.vmis('ns 1', 'vm1')).toBe('/apis/kubevirt.io/v1/namespaces/ns%201/virtualmachineinstances/vm1');
    expect(ResourcePaths.pods('kubevirt')).toBe('/api/v1/namespaces/kubevirt/pods');
    expect(ResourcePaths.nodes('node1')).toBe('/api/v1/nodes/node1');
    expect(ResourcePaths.webhookConfigurations('mutating', 'virt-api')).toBe('/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/virt-api');
    expect(ResourcePaths.leases('kubevirt', 'virt-controller')).toBe('/apis/coordination.k8s.io/v1/namespaces/kubevirt/leases/virt-controller');
  });
});
