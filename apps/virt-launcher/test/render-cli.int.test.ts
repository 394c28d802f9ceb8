import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';

// Runs `virt-launcher render` as a real process from source (no build needed): node resolves the
// workspace packages through their "source" export condition and tsx compiles on the fly.
const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const main = join(root, 'apps/virt-launcher/src/main.ts');
const vmiQat = join(root, 'examples/vmi-qat.yaml');
const dir = useTempDir('qvirt-render-cli-', { scope: 'all' });

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function launcher(args: string[], env: Record<string, string>): Promise<Result> {
  // A clean env: the allocation must come only from what the test sets.
  const baseEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', main, ...args], {
      cwd: root,
      env: { ...baseEnv, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function validates(xml: string, name: string): Promise<void> {
  const file = join(dir(), `${name}.xml`);
  await writeFile(file, xml);
  const { stdout, stderr } = await run('virt-xml-validate', [file, 'domain']);
  expect(`${stdout}${stderr}`).toContain('validates');
}

describe('virt-launcher render (real process)', () => {
  it('renders examples/vmi-qat.yaml with PCI_RESOURCE_QAT_INTEL_COM_GENERIC into a valid domain', async () => {
    const r = await launcher(['render', '--vmi', vmiQat], { PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /<hostdev mode="subsystem" type="pci" managed="no">\s*<source>\s*<address domain="0x0000" bus="0x3d" slot="0x01" function="0x1"\/>\s*<\/source>\s*<alias name="ua-qat-qat1"\/>/,
    );
    // Not forced: KVM only with vmx/svm in the CPU flags and /dev/kvm (none of that on the dev machines).
    const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:.*$/m)?.[0] ?? '';
    const kvm = /\b(vmx|svm)\b/.test(flags) && existsSync('/dev/kvm');
    expect(r.stdout).toContain(`<domain type="${kvm ? 'kvm' : 'qemu'}">`);
    await validates(r.stdout, 'qat');
  });

  it("uses Intel's QAT0 when no PCI_RESOURCE variable is set", async () => {
    const r = await launcher(['render', '--vmi', vmiQat, '--kvm'], { QAT0: '0000:3d:01.2' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<address domain="0x0000" bus="0x3d" slot="0x01" function="0x2"/>');
    expect(r.stdout).toContain('<domain type="kvm">');
    await validates(r.stdout, 'qat0');
  });

  it('fails with one line and no stack when the allocation env is missing', async () => {
    const r = await launcher(['render', '--vmi', vmiQat], {});
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'virt-launcher render: resource qat.intel.com/generic: 1 device requested, 0 addresses allocated (set PCI_RESOURCE_QAT_INTEL_COM_GENERIC)\n',
    );
  });

  it('fails with one line on a missing file, malformed YAML and a non-VMI manifest', async () => {
    const bad = join(dir(), 'bad.yaml');
    await writeFile(bad, 'kind: VirtualMachineInstance\nspec: [\n  oops');
    const notVmi = join(dir(), 'pod.yaml');
    await writeFile(notVmi, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n');
    for (const [file, expected] of [
      [join(dir(), 'missing.yaml'), 'cannot read the manifest (ENOENT)'],
      [bad, 'not valid YAML or JSON'],
      [notVmi, 'not a VirtualMachineInstance manifest (found kind "Pod")'],
    ] as const) {
      const r = await launcher(['render', '--vmi', file], {});
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(expected);
      expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/);
    }
  });
});
