import { describe, expect, it } from 'vitest';
import { MAX_CAUSES } from './causes.js';
import { validateManifest } from './manifest.js';
import { gatesOff, gatesOn, qats, rng, vmiQat } from './testing/fixtures.js';
import { validateVm } from './vm.validator.js';
import { validateVmiSpec } from './vmi-spec.validator.js';

const WEIRD: unknown[] = [null, [], {}, 'x', '', -1, 0, 1.5, true, [null], [{}], { a: [1] }, 'Z'.repeat(10_000), '__proto__', Number.MAX_SAFE_INTEGER];

/** Replaces one random node of a JSON tree with a weird value. */
function mutate(doc: unknown, random: () => number): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as unknown;
  const nodes: [Record<string, unknown> | unknown[], string | number][] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        nodes.push([v, i]);
        visit(x);
      });
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        nodes.push([v as Record<string, unknown>, k]);
        visit(x);
      }
    }
  };
  visit(copy);
  const [parent, key] = nodes[Math.floor(random() * nodes.length)]!;
  (parent as Record<string | number, unknown>)[key] = WEIRD[Math.floor(random() * WEIRD.length)];
  return copy;
}

const wellFormed = (c: unknown) =>
  expect(c).toEqual({ type: expect.any(String) as string, field: expect.any(String) as string, message: expect.any(String) as string });

describe('untrusted input', () => {
  it('never throws on 3,000 randomly broken manifests, and every cause is well formed', () => {
    const random = rng(42);
    const vm = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'vm' },
      spec: { runStrategy: 'Always', template: { spec: vmiQat().spec } },
    };
    for (let i = 0; i < 3000; i++) {
      let doc: unknown = i % 2 === 0 ? vmiQat() : vm;
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) doc = mutate(doc, random);
      const result = validateManifest(doc, i % 3 === 0 ? gatesOff() : gatesOn());
      result.causes.forEach(wellFormed);
      expect(result.causes.length).toBeLessThanOrEqual(2 * (MAX_CAUSES + 1) + 2);
    }
  });

  it.each([null, undefined, 'spec', 42, [], [{}]])('validateVmiSpec(%j) is one cause on the path', (spec) => {
    const causes = validateVmiSpec('spec.template.spec', spec, gatesOn());
    expect(causes).toHaveLength(1);
    expect(causes[0]?.field).toBe('spec.template.spec');
  });

  it('answers 10,000 QATs promptly with one cause and no per-item work', () => {
    const vmi = vmiQat();
    vmi.spec.domain.devices.qats = qats(10_000);
    const start = performance.now();
    const result = validateManifest(vmi, gatesOff());
    const ms = performance.now() - start;
    expect(result.causes).toEqual([
      { type: 'FieldValueTooMany', field: 'spec.domain.devices.qats', message: 'spec.domain.devices.qats: Too many: 10000: must have at most 256 items' },
    ]);
    expect(ms).toBeLessThan(250);
  });

  it('caps the causes of a huge list of bad entries', () => {
    const spec = { ...vmiQat().spec, tolerations: Array.from({ length: 100_000 }, () => ({ effect: 'Never' })) };
    const start = performance.now();
    const causes = validateVmiSpec('spec', spec, gatesOn());
    expect(performance.now() - start).toBeLessThan(500);
    expect(causes).toHaveLength(MAX_CAUSES + 1);
    expect(causes[MAX_CAUSES]).toEqual({
      type: 'FieldValueTooMany',
      field: 'spec',
      message: `spec: Too many: more than ${MAX_CAUSES} problems found, only the first ${MAX_CAUSES} are listed`,
    });
  });

  it('handles 256 duplicate QATs (the largest accepted list) with bounded output', () => {
    const vmi = vmiQat();
    vmi.spec.domain.devices.qats = Array.from({ length: 256 }, () => ({ name: 'same', deviceName: 'qat.intel.com/generic' }));
    const causes = validateManifest(vmi, gatesOn()).causes;
    expect(causes).toHaveLength(MAX_CAUSES + 1);
    expect(causes[0]?.field).toBe('spec.domain.devices.qats[1].name');
    expect(validateVm('x', gatesOn())).toHaveLength(1);
  });
});
