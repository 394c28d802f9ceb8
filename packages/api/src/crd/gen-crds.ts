// Writes deploy/crds/*.yaml from the schema source. Run: npm run gen:crds -w @qvirt/api
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCrdFiles } from './render-crds.js';

const outDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../deploy/crds');
mkdirSync(outDir, { recursive: true });
for (const [name, text] of renderCrdFiles()) {
  writeFileSync(join(outDir, name), text);
  console.log(`wrote deploy/crds/${name}`);
}
