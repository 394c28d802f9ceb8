import { parseArgs } from 'node:util';
import { requestedResources, type VirtualMachineInstance } from '@qvirt/api';
import { AllocationError, allocationFromEnv, DomainRenderError, kvmDecision, type KvmProbe, type NodeFacts, renderDomain } from '@qvirt/domain';
import { parse as parseYaml } from 'yaml';

/** What `render` needs from the process; main.ts supplies the real ones, tests their own. */
export interface RenderCommandIo {
  /** The allocation env (PCI_RESOURCE_*, QAT0...). */
  env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): Promise<string>;
  /** /proc/cpuinfo and whether /dev/kvm exists; called only when neither --kvm nor --no-kvm is given. */
  probeKvm(): Promise<Omit<KvmProbe, 'force'>>;
  stdout(text: string): Promise<void>;
  stderr(text: string): Promise<void>;
}

export const RENDER_USAGE = 'usage: virt-launcher render --vmi FILE [--kvm|--no-kvm] [--console-log PATH] [--emulator PATH]';

/** Exit codes: 0 rendered, 1 bad input (manifest, allocation env), 2 bad command line. */
export async function runRenderCommand(argv: readonly string[], io: RenderCommandIo): Promise<number> {
  const fail = async (code: number, reason: string) => {
    // One line, whatever the cause (YAML errors carry a multi-line code frame).
    await io.stderr(`virt-launcher render: ${oneLine(reason)}\n`);
    return code;
  };

  let options: { vmi?: string; kvm?: boolean; 'no-kvm'?: boolean; 'console-log'?: string; emulator?: string; help?: boolean };
  try {
    options = parseArgs({
      args: [...argv],
      options: {
        vmi: { type: 'string' },
        kvm: { type: 'boolean' },
        'no-kvm': { type: 'boolean' },
        'console-log': { type: 'string' },
        emulator: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return fail(2, `${(err as Error).message}; ${RENDER_USAGE}`);
  }
  if (options.help) {
    await io.stdout(`${RENDER_USAGE}\n`);
    return 0;
  }
  if (!options.vmi) return fail(2, `--vmi FILE is required; ${RENDER_USAGE}`);
  if (options.kvm && options['no-kvm']) return fail(2, '--kvm and --no-kvm exclude each other');

  let text: string;
  try {
    text = await io.readFile(options.vmi);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(1, `${options.vmi}: cannot read the manifest${code ? ` (${code})` : ''}`);
  }
  let manifest: unknown;
  try {
    manifest = parseYaml(text);
  } catch (err) {
    return fail(1, `${options.vmi}: not valid YAML or JSON: ${(err as Error).message}`);
  }
  const kind = (manifest as { kind?: unknown } | null)?.kind;
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest) || kind !== 'VirtualMachineInstance') {
    const found =
      typeof manifest === 'object' && manifest !== null ? `kind ${JSON.stringify(kind ?? null)}` : `a ${manifest === null ? 'null' : typeof manifest}`;
    return fail(1, `${options.vmi}: not a VirtualMachineInstance manifest (found ${found})`);
  }
  const vmi = manifest as VirtualMachineInstance;

  const force = options.kvm ? 'kvm' : options['no-kvm'] ? 'qemu' : undefined;
  const probe = force ? { cpuinfo: '', devKvmExists: false } : await io.probeKvm();
  const facts: NodeFacts = { kvm: kvmDecision({ ...probe, ...(force ? { force } : {}) }).kvm };
  if (options['console-log']) facts.consoleLogPath = options['console-log'];
  if (options.emulator) facts.emulator = options.emulator;

  try {
    const allocation = allocationFromEnv({ ...io.env }, requestedResources(vmi));
    await io.stdout(renderDomain(vmi, allocation, facts));
    return 0;
  } catch (err) {
    if (err instanceof AllocationError || err instanceof DomainRenderError) return fail(1, err.message);
    // A manifest shaped in a way no check foresaw: still one line, no stack.
    return fail(1, `${options.vmi}: cannot render: ${(err as Error).message}`);
  }
}

function oneLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
