// A promise the operator's guide makes, held to the code: every `virt-handler discover` output it
// shows is what discover prints for that host. (That every message it quotes can really be
// produced is test/operator-docs-messages.test.ts, which reads every workspace's source.)
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { buildFakeQatHost, type FakeQatHostSpec } from '@qvirt/qat/testing';
import { runDiscover } from './commands/discover.command.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DOC_NAMES = ['qat-host-setup.md', 'install.md', 'troubleshooting.md', 'metrics.md', 'qat-in-the-guest.md'];
const doc = (name: string): string => readFileSync(join(REPO, 'docs', name), 'utf8');

describe('discover outputs shown in the operator docs', () => {
  const root = useTempDir('vh-docs-', { scope: 'all' });

  // `<!-- discover-example {spec} -->` before a ```json block: the host spec and what discover prints for it.
  const examples = DOC_NAMES.flatMap((name) =>
    [...doc(name).matchAll(/<!-- discover-example (\{.*?\}) -->\n```json\n([\s\S]*?)```/g)].map((m, i) => ({
      name: `${name} #${i + 1}`,
      spec: m[1]!,
      shown: m[2]!,
    })),
  );

  it('has the examples the host setup and troubleshooting pages are built on', () => {
    expect(examples.filter((e) => e.name.startsWith('qat-host-setup.md')).length).toBeGreaterThanOrEqual(5);
    expect(examples.filter((e) => e.name.startsWith('troubleshooting.md')).length).toBeGreaterThanOrEqual(1);
  });

  it.each(examples)('$name is exactly what virt-handler discover prints', async ({ name, spec, shown }) => {
    const host = await buildFakeQatHost(join(root(), name.replace(/\W+/g, '-')), JSON.parse(spec) as FakeQatHostSpec);
    const out = await runDiscover({ mode: 'discover', sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
    expect(shown).toBe(`${JSON.stringify(out, null, 2)}\n`);
  });
});
