// npm run bench: runs every bench module (src/*.bench.ts exporting bench*() functions), prints a
// table and writes bench/results/latest.json (README). `npm run bench -- render` runs a subset.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchFigure } from './figure.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => /\.bench\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const results: Record<string, Omit<BenchFigure, 'name'>> = {};
let failed = 0;
for (const file of modules) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as Record<string, unknown>;
  for (const [exportName, fn] of Object.entries(mod)) {
    if (!exportName.startsWith('bench') || typeof fn !== 'function') continue;
    process.stderr.write(`running ${file}:${exportName} ...\n`);
    try {
      const figures = (await (fn as () => Promise<BenchFigure[]>)()) ?? [];
      for (const { name, ...rest } of figures) results[name] = rest;
    } catch (err) {
      failed++;
      process.stderr.write(`  ${exportName} failed: ${(err as Error).message}\n`);
    }
  }
}

const rows = Object.entries(results).map(([name, f]) => ({ figure: name, value: f.value, unit: f.unit, baseline: f.baseline, ratio: f.ratio }));
console.table(rows);
const out = join(here, '../results/latest.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
console.log(`wrote bench/results/latest.json (${rows.length} figures${failed ? `, ${failed} bench functions failed` : ''})`);
process.exitCode = failed ? 1 : 0;
