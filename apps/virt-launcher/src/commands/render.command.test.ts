import { describe, expect, it } from 'vitest';
import { runRenderCommand, type RenderCommandIo } from './render.command.js';

const VMI_QAT = `apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: vmi-qat, namespace: default}
spec:
  domain:
    memory: {guest: 128Mi}
    devices:
      qats: [{name: qat1, deviceName: qat.intel.com/generic}]
`;

function harness(files: Record<string, string>, env: Record<string, string> = {}, cpuinfo = 'flags\t: fpu vmx\n') {
  const out: string[] = [];
  const err: string[] = [];
  let probed = 0;
  const io: RenderCommandIo = {
    env,
    readFile: async (path) => {
      if (!(path in files)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return files[path]!;
    },
    probeKvm: async () => {
      probed++;
      return { cpuinfo, devKvmExists: true };
    },
    stdout: async (t) => void out.push(t),
    stderr: async (t) => void err.push(t),
  };
  return { io, out, err, probed: () => probed };
}

describe('runRenderCommand', () => {
  it('prints the domain for the manifest and the allocation env, KVM from the probe', async () => {
    const h = harness({ 'vmi.yaml': VMI_QAT }, { PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1' });
    expect(await runRenderCommand(['--vmi', 'vmi.yaml'], h.io)).toBe(0);
    const xml = h.out.join('');
    expect(xml).toContain('<domain type="kvm">');
    expect(xml).toContain('<address domain="0x0000" bus="0x3d" slot="0x01" function="0x1"/>');
    expect(xml).toContain('<serial type="pty">');
    expect(h.err).toEqual([]);
    expect(h.probed()).toBe(1);
  });

  it('obeys --no-kvm without probing, and --console-log', async () => {
    const h = harness({
      'vmi.json': JSON.stringify({ kind: 'VirtualMachineInstance', metadata: { name: 'j' }, spec: { domain: { memory: { guest: '64Mi' }, devices: {} } } }),
    });
    expect(await runRenderCommand(['--vmi', 'vmi.json', '--no-kvm', '--console-log', '/tmp/c.log'], h.io)).toBe(0);
    expect(h.out.join('')).toContain('<domain type="qemu">');
    expect(h.out.join('')).toContain('<source path="/tmp/c.log"/>');
    expect(h.probed()).toBe(0);
  });

  it.each([
    [[], 2, /^virt-launcher render: --vmi FILE is required/],
    [['--vmi', 'x', '--kvm', '--no-kvm'], 2, /--kvm and --no-kvm exclude each other/],
    [['--vmi', 'missing.yaml'], 1, /^virt-launcher render: missing\.yaml: cannot read the manifest \(ENOENT\)$/],
    [['--vmi', 'bad.yaml'], 1, /^virt-launcher render: bad\.yaml: not valid YAML or JSON: /],
    [['--vmi', 'pod.yaml'], 1, /^virt-launcher render: pod\.yaml: not a VirtualMachineInstance manifest \(found kind "Pod"\)$/],
    [['--vmi', 'scalar.yaml'], 1, /not a VirtualMachineInstance manifest \(found a string\)$/],
    [
      ['--vmi', 'vmi.yaml'],
      1,
      /^virt-launcher render: resource qat\.intel\.com\/generic: 1 device requested, 0 addresses allocated \(set PCI_RESOURCE_QAT_INTEL_COM_GENERIC\)$/,
    ],
    [['--vmi', 'nomem.yaml'], 1, /^virt-launcher render: spec\.domain\.memory\.guest: required/],
  ] as const)('%j -> exit %d with one line', async (argv, code, message) => {
    const h = harness({
      'bad.yaml': 'a: [\n  b',
      'pod.yaml': 'kind: Pod\n',
      'scalar.yaml': 'just text\n',
      'vmi.yaml': VMI_QAT,
      'nomem.yaml': 'kind: VirtualMachineInstance\nmetadata: {name: x}\nspec: {domain: {devices: {}}}\n',
    });
    expect(await runRenderCommand(argv, h.io)).toBe(code);
    expect(h.out).toEqual([]);
    expect(h.err).toHaveLength(1);
    expect(h.err[0]!.endsWith('\n')).toBe(true);
    expect(h.err[0]!.trimEnd().split('\n')).toHaveLength(1);
    expect(h.err[0]!.trimEnd()).toMatch(message);
  });
});
