import { vmiSpecSchema, type JsonSchema } from '@qvirt/api';
import { describe, expect, it } from 'vitest';
import { MAX_CAUSES } from './causes.js';
import { checkShape } from './shape.js';

const schema: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    count: { type: 'integer', minimum: 1 },
    bus: { type: 'string', enum: ['virtio', 'sata'] },
    size: { anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: 'q', 'x-kubernetes-int-or-string': true },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    items: { type: 'array', maxItems: 3, items: { type: 'object', properties: { n: { type: 'string' } } } },
    free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

describe('checkShape', () => {
  it('passes a conforming value through as it is (no copy: rules only read the view)', () => {
    const value = { name: 'a', count: 2, bus: 'sata', size: '1Gi', labels: { k: 'v' }, items: [{ n: 'x' }], free: { any: [1] } };
    const result = checkShape('spec', value, schema);
    expect(result.causes).toEqual([]);
    expect(result.value).toBe(value);
  });

  it('drops a null the schema allows from the view, without a cause, and leaves the input alone', () => {
    const nullable: JsonSchema = { type: 'object', properties: { at: { type: 'string', nullable: true }, n: { type: 'string' } } };
    const value = { at: null, n: 'x' };
    const result = checkShape('status', value, nullable);
    expect(result.causes).toEqual([]);
    expect(result.value).toStrictEqual({ n: 'x' });
    expect(value).toStrictEqual({ at: null, n: 'x' });
  });

  it('reports each problem with its path, and drops it from the view', () => {
    const result = checkShape('spec', { count: 0, bus: 'ide', size: '12MB', labels: { k: 3 }, items: [{ n: 'ok' }, null], extra: true }, schema);
    expect(result.causes).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.count', message: 'spec.count: Invalid value: 0: must be greater than or equal to 1' },
      { type: 'FieldValueNotSupported', field: 'spec.bus', message: 'spec.bus: Unsupported value: "ide": supported values: "virtio", "sata"' },
      { type: 'FieldValueInvalid', field: 'spec.size', message: 'spec.size: Invalid value: "12MB": must be a quantity (e.g. 512Mi, 2Gi, 500m)' },
      { type: 'FieldValueInvalid', field: 'spec.labels[k]', message: 'spec.labels[k]: Invalid value: 3: must be of type string' },
      { type: 'FieldValueInvalid', field: 'spec.items[1]', message: 'spec.items[1]: Invalid value: "null": must be of type object' },
      { type: 'FieldValueNotSupported', field: 'spec.extra', message: 'unknown field "spec.extra"' },
      { type: 'FieldValueRequired', field: 'spec.name', message: 'spec.name: Required value' },
    ]);
    // Object list items keep their index as {} so later rules' paths stay right.
    expect(result.value).toEqual({ labels: {}, items: [{ n: 'ok' }, {}] });
  });

  it('rejects an over-long list without looking at its items', () => {
    const items = new Proxy([1, 2, 3, 4], {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) throw new Error('item read');
        return Reflect.get(target, prop, receiver);
      },
    });
    const result = checkShape('spec', { name: 'a', items }, schema);
    expect(result.causes).toEqual([{ type: 'FieldValueTooMany', field: 'spec.items', message: 'spec.items: Too many: 4: must have at most 3 items' }]);
  });

  it('treats __proto__ and constructor as plain data', () => {
    const value = JSON.parse('{"name":"a","labels":{"__proto__":"x","constructor":"y"},"__proto__":{"polluted":true}}') as unknown;
    const result = checkShape('spec', value, schema);
    expect(result.causes).toEqual([{ type: 'FieldValueNotSupported', field: 'spec.__proto__', message: 'unknown field "spec.__proto__"' }]);
    const labels = (result.value as { labels: Record<string, unknown> }).labels;
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.keys(labels)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it(`stops after ${MAX_CAUSES} causes`, () => {
    const tolerations = Array.from({ length: 50_000 }, () => ({ operator: 'Sometimes' }));
    const result = checkShape('spec', { domain: { devices: {} }, tolerations }, vmiSpecSchema);
    expect(result.causes.length).toBe(MAX_CAUSES + 1);
  });
});
