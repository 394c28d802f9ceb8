import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../manifests/cli-io.js';
import { CliInputError } from '../manifests/input-error.js';
import { runValidateCommand } from './validate.command.js';

const examples = new URL('../../../../examples/', import.meta.url);
const example = (name: string) => readFileSync(new URL(name, examples), 'utf8');

/** In-memory files; `-` is stdin. */
function fakeIo(files: Record<string, string>) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    readText: async (path) => {
      const text = files[path];
      if (text === undefined) throw new CliInputError(`${path}: no such file`);
      return text;
    },
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
  };
  return { io, out };
}

const QAT_CAUSE = { type: 'FieldValueInvalid', field: 'spec.domain.devices.qats', message: 'QAT feature gate is not enabled in kubevirt-config' };

describe('virt-api validate', () => {
  it('denies the QAT example with the gate off, allows it with --feature-gates', async () => {
    const { io, out } = fakeIo({ 'vmi.yaml': example('vmi-qat.yaml') });
    expect(await runValidateCommand(['vmi.yaml'], io)).toBe(1);
    expect(JSON.parse(out.stdout)).toEqual([QAT_CAUSE]);
    const on = fakeIo({ 'vmi.yaml': example('vmi-qat.yaml') });
    expect(await runValidateCommand(['vmi.yaml', '--feature-gates', 'HostDevices, QAT'], on.io)).toBe(0);
    expect(on.out.stdout).toBe('[]\n');
    expect(on.out.stderr).toBe('');
  });

  it('takes gates from a ConfigMap, a KubeVirt CR, or both in one file', async () => {
    for (const config of [
      example('kubevirt-config.yaml'),
      example('kubevirt-cr.yaml'),
      `${example('kubevirt-config.yaml')}\n---\n${example('kubevirt-cr.yaml')}`,
    ]) {
      const { io } = fakeIo({ 'vm.yaml': example('vm-qat.yaml'), 'kv.yaml': config });
      expect(await runValidateCommand(['vm.yaml', '--kubevirt-config', 'kv.yaml'], io)).toBe(0);
    }
  });

  it('applies permittedHostDevices from the KubeVirt CR', async () => {
    const vmi = example('vmi-qat.yaml').replace('qat.intel.com/generic', 'qat.intel.com/dc');
    const { io, out } = fakeIo({ 'vmi.yaml': vmi, 'kv.yaml': example('kubevirt-cr.yaml') });
    expect(await runValidateCommand(['vmi.yaml', '--kubevirt-config=kv.yaml'], io)).toBe(1);
    expect(JSON.parse(out.stdout)).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.devices.qats[0].deviceName',
        message: 'QAT qat.intel.com/dc is not permitted in permittedHostDevices configuration',
      },
    ]);
  });

  it('reads JSON, and stdin as -', async () => {
    const json = JSON.stringify({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', spec: { domain: { memory: { guest: '64Mi' } } } });
    const { io, out } = fakeIo({ '-': json });
    expect(await runValidateCommand(['-'], io)).toBe(0);
    expect(out.stdout).toBe('[]\n');
  });

  it.each([
    [['missing.yaml'], {}, 'virt-api validate: missing.yaml: no such file\n'],
    [
      ['bad.yaml'],
      { 'bad.yaml': 'spec: [1\n' },
      'virt-api validate: bad.yaml: line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]\n',
    ],
    [['list.yaml'], { 'list.yaml': '- a\n' }, 'virt-api validate: list.yaml: the document is a list, not a manifest object\n'],
    [['two.yaml'], { 'two.yaml': 'a: 1\n---\nb: 2\n' }, 'virt-api validate: two.yaml: 2 documents found; validate one manifest at a time\n'],
    [['empty.yaml'], { 'empty.yaml': '# nothing\n' }, 'virt-api validate: empty.yaml: no document found\n'],
    [
      ['v.yaml', '--kubevirt-config', 'kv.yaml'],
      { 'v.yaml': 'a: 1\n', 'kv.yaml': 'kind: Secret\n' },
      'virt-api validate: kv.yaml: document 1: kind "Secret" is not ConfigMap or KubeVirt\n',
    ],
    [
      ['v.yaml', '--kubevirt-config', 'kv.yaml'],
      { 'v.yaml': 'a: 1\n', 'kv.yaml': 'kind: KubeVirt\nspec:\n  configuration:\n    developerConfiguration:\n      featureGates: QAT\n' },
      'virt-api validate: kv.yaml: document 1: spec.configuration.developerConfiguration.featureGates must be a list of strings\n',
    ],
    [
      ['v.yaml', '--kubevirt-config', 'kv.yaml'],
      { 'v.yaml': 'a: 1\n', 'kv.yaml': 'kind: ConfigMap\ndata:\n  permittedHostDevices: "pciHostDevices: 5"\n' },
      'virt-api validate: kv.yaml: kubevirt-config key permittedHostDevices: pciHostDevices must be a list\n',
    ],
  ] as [string[], Record<string, string>, string][])('exits 2 with one line on unreadable input: %j', async (args, files, stderr) => {
    const { io, out } = fakeIo(files);
    expect(await runValidateCommand(args, io)).toBe(2);
    expect(out.stderr).toBe(stderr);
    expect(out.stdout).toBe('');
  });

  it('exits 2 with the usage on bad arguments, 0 with it on --help', async () => {
    const bad = fakeIo({});
    expect(await runValidateCommand(['a.yaml', 'b.yaml'], bad.io)).toBe(2);
    expect(bad.out.stderr).toMatch(/^virt-api validate: expected one FILE, got 2\nusage: virt-api validate FILE/);
    const help = fakeIo({});
    expect(await runValidateCommand(['--help'], help.io)).toBe(0);
    expect(help.out.stdout).toMatch(/^usage: virt-api validate FILE/);
  });
});
