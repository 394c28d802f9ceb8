import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { renderDomain } from '../src/index.js';
import { scenarios } from '../src/testing/fixtures.js';

const run = promisify(execFile);
const dir = useTempDir('qvirt-domain-schema-', { scope: 'all' });

async function exitOf(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: 30_000 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe("rendered domains against libvirt's own checks", () => {
  it.each(scenarios().map((s) => [s.name, s] as const))('%s passes virt-xml-validate and the test driver', async (name, s) => {
    const file = join(dir(), `${name}.xml`);
    await writeFile(file, renderDomain(s.vmi, s.allocation, s.facts));
    const schema = await exitOf('virt-xml-validate', [file, 'domain']);
    expect(schema.output).toContain('validates');
    expect(schema.code).toBe(0);
    // The test driver parses the XML with libvirt's domain parser and accepts hostdevs without hardware.
    const define = await exitOf('virsh', ['-c', 'test:///default', 'define', file]);
    expect(define.output).toContain('defined from');
    expect(define.code).toBe(0);
  });

  it('the validator really rejects a broken document', async () => {
    const file = join(dir(), 'broken.xml');
    const s = scenarios()[2]!;
    await writeFile(file, renderDomain(s.vmi, s.allocation, s.facts).replace('managed="no"', 'managed="perhaps"'));
    expect((await exitOf('virt-xml-validate', [file, 'domain'])).code).not.toBe(0);
  });
});
