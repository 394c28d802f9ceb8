// docs/metrics.md lists every metric virt-handler exports, with its type and labels, and names
// no component but the three that export metrics.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFakeQatHost, discoverQat } from '@qvirt/qat';
import { createHandlerMetrics } from './metrics.js';

describe('docs/metrics.md for virt-handler', () => {
  it('lists exactly the families createHandlerMetrics exports, with their types and labels', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vh-metrics-docs-'));
    try {
      const host = await buildFakeQatHost(join(root, 'h'), { pfs: [{ generation: 'c62x', vfs: 2 }] });
      const m = createHandlerMetrics('node-1');
      m.setDiscovery(await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot }));
      m.observeSync(12, 'success');
      expectDocumented('virt-handler', await m.registry.metrics());
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('names only components that export metrics (virt-launcher exports none)', () => {
    const components = new Set(documentedMetrics().map((r) => r.component));
    expect([...components].sort()).toEqual(['virt-api', 'virt-controller', 'virt-handler']);
  });
});

// ---- docs/metrics.md against what this component exports (the same helper in each component's test) ----
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface DocMetric {
  name: string;
  type: string;
  labels: string[];
  component: string;
}

/** The rows of the table after `<!-- metrics-table -->` in docs/metrics.md. */
function documentedMetrics(): DocMetric[] {
  const text = readFileSync(join(REPO, 'docs', 'metrics.md'), 'utf8');
  const lines = text.slice(text.indexOf('<!-- metrics-table -->')).split('\n').slice(1);
  const rows = lines.slice(0, lines.findIndex((l) => !l.startsWith('|'))).slice(2);
  return rows.map((row) => {
    const [metric, type, labels, component] = row.split('|').slice(1, -1).map((c) => c.trim());
    const ticks = (c: string) => [...c.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    return { name: ticks(metric!)[0]!, type: type!, labels: ticks(labels!).sort(), component: component! };
  });
}

/** Families in a Prometheus text document: type and the label names their samples carry (`le` aside). */
function exportedFamilies(text: string): Map<string, { type: string; labels: string[] }> {
  const families = new Map<string, { type: string; labels: Set<string> }>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(m[1]!, { type: m[2]!, labels: new Set() });
  const names = [...families.keys()].sort((a, b) => b.length - a.length);
  for (const m of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+$/gm)) {
    const family = names.find((n) => m[1] === n || (m[1]!.startsWith(n) && /^_(bucket|sum|count)$/.test(m[1]!.slice(n.length))));
    if (family === undefined) throw new Error(`sample ${m[1]} of no declared family`);
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) if (l[1] !== 'le') families.get(family)!.labels.add(l[1]!);
  }
  return new Map([...families].map(([n, f]) => [n, { type: f.type, labels: [...f.labels].sort() }]));
}

/** The table's rows for `component` are exactly the families it exports (`x_*` rows: any family with that prefix). */
function expectDocumented(component: string, text: string): void {
  const rows = documentedMetrics().filter((r) => r.component === component);
  const exported = exportedFamilies(text);
  const covers = (r: DocMetric, name: string) => (r.name.endsWith('*') ? name.startsWith(r.name.slice(0, -1)) : r.name === name);
  for (const name of exported.keys()) expect(rows.some((r) => covers(r, name)), `${component} exports ${name}, which docs/metrics.md does not list`).toBe(true);
  for (const r of rows) {
    if (r.name.endsWith('*')) {
      expect([...exported.keys()].some((n) => covers(r, n)), `docs/metrics.md lists ${r.name} for ${component}`).toBe(true);
      continue;
    }
    const f = exported.get(r.name);
    expect(f, `docs/metrics.md lists ${r.name} for ${component}, which it does not export`).toBeDefined();
    expect({ name: r.name, type: r.type, labels: r.labels }).toEqual({ name: r.name, type: f!.type, labels: f!.labels });
  }
}
