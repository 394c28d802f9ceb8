import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs `virt-api validate` as a real process from source (tsx, the "source" export condition),
// so no build is needed; exit code, stdout and stderr are what a user sees.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const main = join(repo, 'apps/virt-api/src/main.ts');
const tmp = mkdtempSync(join(tmpdir(), 'virt-api-validate-'));

function virtApi(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', main, 'validate', ...args], {
    cwd: repo,
    encoding: 'utf8',
    input,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const QAT_CAUSE = { type: 'FieldValueInvalid', field: 'spec.domain.devices.qats', message: 'QAT feature gate is not enabled in kubevirt-config' };

describe('virt-api validate (process)', () => {
  it('denies examples/vmi-qat.yaml with the QAT cause and exit 1 while the gate is off', () => {
    const r = virtApi(['examples/vmi-qat.yaml']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([QAT_CAUSE]);
    expect(r.stderr).toBe('');
  });

  it('allows it with --feature-gates QAT: exit 0, prints []', () => {
    const r = virtApi(['examples/vmi-qat.yaml', '--feature-gates', 'QAT']);
    expect(r).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('allows the VM example with --kubevirt-config examples/kubevirt-config.yaml', () => {
    expect(virtApi(['examples/vm-qat.yaml', '--kubevirt-config', 'examples/kubevirt-config.yaml'])).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    const off = virtApi(['examples/vm-qat.yaml']);
    expect(off.code).toBe(1);
    expect(JSON.parse(off.stdout)).toEqual([{ ...QAT_CAUSE, field: 'spec.template.spec.domain.devices.qats' }]);
  });

  it('exits 2 with one line and no stack trace on malformed YAML', () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, 'apiVersion: kubevirt.io/v1\nspec: {domain: [\n');
    const r = virtApi([file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^virt-api validate: ${file}: line \\d+, column \\d+: `));
    expect(r.stderr).not.toMatch(/\s+at /);
  });

  it('exits 2 on a missing file', () => {
    expect(virtApi(['examples/no-such.yaml'])).toEqual({ code: 2, stdout: '', stderr: 'virt-api validate: examples/no-such.yaml: no such file\n' });
  });

  it('exits 1 with the cause on a wrong kind', () => {
    const file = join(tmp, 'pod.yaml');
    writeFileSync(file, 'apiVersion: kubevirt.io/v1\nkind: VirtualMachineInstancez\nspec: {}\n');
    const r = virtApi([file]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        type: 'FieldValueNotSupported',
        field: 'kind',
        message: 'kind: Unsupported value: "VirtualMachineInstancez": supported values: "VirtualMachineInstance", "VirtualMachine"',
      },
    ]);
  });

  it('reads JSON from a file and from stdin', () => {
    const vmi = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstance',
      metadata: { name: 'j' },
      spec: { domain: { resources: { requests: { memory: '64Mi' } }, devices: { qats: [{ name: 'q', deviceName: 'qat.intel.com/generic' }] } } },
    };
    const file = join(tmp, 'vmi.json');
    writeFileSync(file, JSON.stringify(vmi));
    expect(virtApi([file, '--feature-gates=QAT']).code).toBe(0);
    const r = virtApi(['-'], JSON.stringify(vmi));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([QAT_CAUSE]);
  });
});
