// docs/metrics.md against what a component's registry really exports: one checker for every
// component's test (virt-api, virt-controller, virt-handler).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface DocMetric {
  readonly name: string;
  readonly type: string;
  readonly labels: readonly string[];
  readonly component: string;
}

// src/testing/ and dist/testing/ are both packages/kube/<dir>/testing/: four levels below the repository root.
const METRICS_DOC = fileURLToPath(new URL('../../../../docs/metrics.md', import.meta.url));

/** The rows of the table after `<!-- metrics-table -->` in docs/metrics.md. */
export function documentedMetrics(doc: string = readFileSync(METRICS_DOC, 'utf8')): DocMetric[] {
  const lines = doc.slice(doc.indexOf('<!-- metrics-table -->')).split('\n').slice(1);
  const rows = lines
    .slice(
      0,
      lines.findIndex((l) => !l.startsWith('|')),
    )
    .slice(2);
  return rows.map((row) => {
    const [metric, type, labels, component] = row
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const ticks = (c: string) => [...c.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    return { name: ticks(metric!)[0]!, type: type!, labels: ticks(labels!).sort(), component: component! };
  });
}

/** Families in a Prometheus text document: type and the label names their samples carry (`le` aside). */
export function exportedFamilies(text: string): Map<string, { type: string; labels: string[] }> {
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

/**
 * Where the table's rows for `component` and the families it exports disagree, one line each
 * (`x_*` rows stand for any family with that prefix). Empty when they match.
 */
export function metricsDocProblems(component: string, exportedText: string, rows: readonly DocMetric[] = documentedMetrics()): string[] {
  const mine = rows.filter((r) => r.component === component);
  const exported = exportedFamilies(exportedText);
  const covers = (r: DocMetric, name: string) => (r.name.endsWith('*') ? name.startsWith(r.name.slice(0, -1)) : r.name === name);
  const problems: string[] = [];
  for (const name of exported.keys())
    if (!mine.some((r) => covers(r, name))) problems.push(`${component} exports ${name}, which docs/metrics.md does not list`);
  for (const r of mine) {
    if (r.name.endsWith('*')) {
      if (![...exported.keys()].some((n) => covers(r, n))) problems.push(`docs/metrics.md lists ${r.name} for ${component}, which exports no such family`);
      continue;
    }
    const f = exported.get(r.name);
    if (!f) problems.push(`docs/metrics.md lists ${r.name} for ${component}, which it does not export`);
    else if (f.type !== r.type || f.labels.join(',') !== r.labels.join(','))
      problems.push(`${r.name}: docs/metrics.md says ${r.type} {${r.labels.join(',')}}, ${component} exports ${f.type} {${f.labels.join(',')}}`);
  }
  return problems;
}
