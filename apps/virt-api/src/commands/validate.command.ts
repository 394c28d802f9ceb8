import { parseArgs } from 'node:util';
import { validateManifest } from '@qvirt/validation';
import type { CliIo } from '../manifests/cli-io.js';
import { CliInputError, CliUsageError } from '../manifests/input-error.js';
import { clusterConfigFromFile, featureGatesFromFlags } from '../manifests/kubevirt-config-file.js';
import { describeJsonType, parseYamlDocuments } from '../manifests/yaml-documents.js';

export const VALIDATE_USAGE = `usage: virt-api validate FILE [--feature-gates QAT,HostDevices] [--kubevirt-config FILE]

Checks a VirtualMachineInstance or VirtualMachine manifest (YAML or JSON, one document; FILE - reads
stdin) with the webhooks' defaults and rules. Prints the causes as JSON ([] when allowed).
--kubevirt-config takes the kubevirt-config ConfigMap and/or a KubeVirt CR (YAML).
Exit status: 0 allowed, 1 denied, 2 unreadable input or bad usage.
`;

export const ExitCode = { allowed: 0, denied: 1, unreadable: 2 } as const;

/**
 * `virt-api validate`: the offline form of the admission webhooks (README, "Offline tools"). Never throws;
 * every failure is an exit code, input problems a single line on stderr.
 */
export async function runValidateCommand(args: readonly string[], io: CliIo): Promise<number> {
  try {
    const { file, gates, kubevirtConfig, help } = parseValidateArgs(args);
    if (help) {
      io.stdout(VALIDATE_USAGE);
      return ExitCode.allowed;
    }
    const config = clusterConfigFromFile(kubevirtConfig === undefined ? undefined : await io.readText(kubevirtConfig), kubevirtConfig ?? '', gates);
    const manifest = singleManifest(await io.readText(file), file === '-' ? 'stdin' : file);
    const { causes } = validateManifest(manifest, config);
    io.stdout(`${JSON.stringify(causes, null, 2)}\n`);
    return causes.length === 0 ? ExitCode.allowed : ExitCode.denied;
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.stderr(`virt-api validate: ${err.message}\n${VALIDATE_USAGE}`);
    } else if (err instanceof CliInputError) {
      io.stderr(`virt-api validate: ${err.message}\n`);
    } else {
      io.stderr(`virt-api validate: internal error: ${oneLine(err)}\n`);
    }
    return ExitCode.unreadable;
  }
}

interface ValidateArgs {
  file: string;
  gates: string[];
  kubevirtConfig: string | undefined;
  help: boolean;
}

function parseValidateArgs(args: readonly string[]): ValidateArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        'feature-gates': { type: 'string', multiple: true },
        'kubevirt-config': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new CliUsageError(oneLine(err));
  }
  const { values, positionals } = parsed;
  const help = values.help === true;
  if (!help && positionals.length !== 1) {
    throw new CliUsageError(positionals.length === 0 ? 'FILE is required' : `expected one FILE, got ${positionals.length}`);
  }
  return {
    file: positionals[0] ?? '',
    gates: featureGatesFromFlags(values['feature-gates'] ?? []),
    kubevirtConfig: values['kubevirt-config'],
    help,
  };
}

/** Exactly one document, and an object: the rest cannot be a manifest. */
function singleManifest(text: string, source: string): unknown {
  const docs = parseYamlDocuments(text, source);
  if (docs.length === 0) throw new CliInputError(`${source}: no document found`);
  if (docs.length > 1) throw new CliInputError(`${source}: ${docs.length} documents found; validate one manifest at a time`);
  const doc = docs[0];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new CliInputError(`${source}: the document is ${describeJsonType(doc)}, not a manifest object`);
  }
  return doc;
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n', 1)[0]!;
}
