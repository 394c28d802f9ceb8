// `npm test` runs `eslint .` (scripts/test.sh); these tests prove that run fails on a floating
// or misused promise anywhere in the repo, by linting a fixture with the repo's own config.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = 'test/fixtures/floating-promise.ts';
const typeAware = ['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-misused-promises', '@typescript-eslint/await-thenable'];

describe('lint (eslint.config.js)', () => {
  it('reports the fixture’s floating promise, misused promise and await of a non-promise', { timeout: 120_000 }, async () => {
    // ignore: false lints the fixture that the config's ignores keep out of `eslint .`.
    const [result] = await new ESLint({ cwd: repoRoot, ignore: false }).lintFiles([fixture]);
    const found = result!.messages.map((m) => `${m.line} ${m.ruleId} ${m.severity}`);
    expect(found).toEqual([
      '5 @typescript-eslint/no-floating-promises 2',
      '9 @typescript-eslint/no-misused-promises 2',
      '12 @typescript-eslint/await-thenable 2',
    ]);
  });

  it('keeps the fixture out of `eslint .` and lints every workspace type-aware, as errors', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    expect(await eslint.isPathIgnored(join(repoRoot, fixture))).toBe(true);
    for (const file of [
      'packages/kube/src/index.ts',
      'apps/virt-handler/src/main.ts',
      'e2e/src/index.ts',
      'bench/src/run.ts',
      'apps/virt-api/test/x.int.test.ts',
    ]) {
      expect(await eslint.isPathIgnored(join(repoRoot, file)), file).toBe(false);
      const config = (await eslint.calculateConfigForFile(join(repoRoot, file))) as {
        rules: Record<string, unknown>;
        languageOptions: { parserOptions: { project?: unknown } };
      };
      expect(config.languageOptions.parserOptions.project, file).toEqual(['./tsconfig.eslint.json']);
      for (const rule of typeAware) expect(config.rules[rule], `${file}: ${rule}`).toEqual([2]);
    }
  });

  it('is the lint that `npm test` runs, on the whole repo', () => {
    expect(readFileSync(join(repoRoot, 'scripts/test.sh'), 'utf8')).toMatch(/^npx eslint \.$/m);
  });
});
