import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest directory above this file holding turbo.json (same from src/ and dist/). */
export function repoRoot(from: string = fileURLToPath(import.meta.url)): string {
  let d = dirname(from);
  while (!existsSync(join(d, 'turbo.json'))) {
    if (dirname(d) === d) throw new Error(`no turbo.json above ${from}`);
    d = dirname(d);
  }
  return d;
}
