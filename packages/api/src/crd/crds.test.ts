import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { customResourceDefinitions } from './crds.js';
import { renderCrdFiles } from './render-crds.js';
import type { JsonSchema } from '../schema/builders.js';

const crdDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../deploy/crds');

describe('CRDs', () => {
  it('checked-in deploy/crds match the generator (run `npm run gen:crds -w @qvirt/api`)', () => {
    const generated = renderCrdFiles();
    const onDisk = readdirSync(crdDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(onDisk).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) {
      expect(readFileSync(join(crdDir, name), 'utf8'), `deploy/crds/${name} is stale`).toBe(text);
    }
  });

  it('are structural: every schema node has a type or is int-or-string', () => {
    const untyped: string[] = [];
    const walk = (s: JsonSchema, path: string): void => {
      if (!s.type && !s['x-kubernetes-int-or-string']) untyped.push(path);
      for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${path}.${k}`);
      if (s.items) walk(s.items, `${path}[]`);
      if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}{}`);
    };
    for (const crd of customResourceDefinitions()) {
      const version = (crd.spec.versions as { schema: { openAPIV3Schema: JsonSchema } }[])[0]!;
      walk(version.schema.openAPIV3Schema, crd.metadata.name);
    }
    expect(untyped).toEqual([]);
  });

  it('serve the VMI with a status subresource and the QATs printer column', () => {
    const vmi = customResourceDefinitions().find((c) => c.metadata.name === 'virtualmachineinstances.kubevirt.io')!;
    const version = (vmi.spec.versions as { subresources: unknown; additionalPrinterColumns: { name: string }[] }[])[0]!;
    expect(version.subresources).toEqual({ status: {} });
    expect(version.additionalPrinterColumns.map((c) => c.name)).toEqual(['Age', 'Phase', 'Node', 'QATs', 'Ready']);
  });
});
