// vitest globalSetup of the e2e project: gives this run an id, and afterwards stops the local
// stack if (and only if) an e2e suite of this run started it. The integration project has none.
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../stack/repo-root.js';
import { stackLayout } from '../stack/stack-layout.js';
import { OWNER_FILE, RUN_ID_ENV } from './run-owner.js';

export default function setup(): () => Promise<void> {
  const runId = randomUUID();
  // Set before the workers start, so they inherit it.
  process.env[RUN_ID_ENV] = runId;
  return async () => {
    const layout = stackLayout(repoRoot());
    const owner = await readFile(join(layout.root, OWNER_FILE), 'utf8').catch(() => '');
    if (owner !== runId) return;
    // Loaded only when this run started a stack: other suites' runs stay light.
    const { stopStack } = await import('../stack/down.js');
    const r = await stopStack(layout, { write: (t) => void process.stderr.write(t) });
    await rm(join(layout.root, OWNER_FILE), { force: true });
    if (r.leftovers.length > 0) throw new Error(`the local stack left processes behind:\n${r.leftovers.join('\n')}`);
  };
}
