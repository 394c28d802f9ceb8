// virt-handler's command line: `virt-handler <mode> [flags]`. Each mode has
// its own parser; `run` (the node daemon) is the default mode.
import { parseArgs } from 'node:util';
import { parseRunArgs, RunConfigError, RUN_USAGE, type RunCommand, type RunEnv } from '../config.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliEnv extends RunEnv {
  readonly QVIRT_SYSFS_ROOT?: string | undefined;
  readonly QVIRT_DEV_ROOT?: string | undefined;
}

export interface DiscoverCommand {
  readonly mode: 'discover';
  readonly sysfsRoot: string;
  readonly devRoot: string;
}

export interface HelpCommand {
  readonly mode: 'help';
}

export type CliCommand = DiscoverCommand | HelpCommand | RunCommand;
export type { RunCommand };

export const USAGE = `usage:
  virt-handler discover [--sysfs-root DIR] [--dev-root DIR]
      print the QAT VFs found under DIR (a tree laid out like /sys) as JSON
      defaults: $QVIRT_SYSFS_ROOT or /sys, $QVIRT_DEV_ROOT or /dev
${RUN_USAGE}`;

type ModeParser = (args: string[], env: CliEnv) => CliCommand;

function parseDiscover(args: string[], env: CliEnv): DiscoverCommand {
  let values: { 'sysfs-root'?: string | undefined; 'dev-root'?: string | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { 'sysfs-root': { type: 'string' }, 'dev-root': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(`discover: ${(err as Error).message}`);
  }
  const pick = (flag: string, value: string | undefined, fromEnv: string | undefined, fallback: string): string => {
    const v = value ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : fallback);
    if (v.trim() === '') throw new UsageError(`discover: --${flag} must not be empty`);
    return v;
  };
  return {
    mode: 'discover',
    sysfsRoot: pick('sysfs-root', values['sysfs-root'], env.QVIRT_SYSFS_ROOT, '/sys'),
    devRoot: pick('dev-root', values['dev-root'], env.QVIRT_DEV_ROOT, '/dev'),
  };
}

function parseRun(args: string[], env: CliEnv): RunCommand {
  try {
    return parseRunArgs(args, env);
  } catch (err) {
    if (err instanceof RunConfigError) throw new UsageError(err.message);
    throw err;
  }
}

const MODES: Readonly<Record<string, ModeParser>> = {
  discover: parseDiscover,
  run: parseRun,
  help: () => ({ mode: 'help' }),
  '--help': () => ({ mode: 'help' }),
  '-h': () => ({ mode: 'help' }),
};

/** Parses argv (without node and script); throws UsageError with a one-line reason. */
export function parseCli(argv: readonly string[], env: CliEnv): CliCommand {
  const [mode, ...rest] = argv;
  if (mode === '--help' || mode === '-h') return { mode: 'help' };
  // No mode, or flags first: the daemon (`virt-handler --node-name n1` == `virt-handler run --node-name n1`).
  if (mode === undefined || mode.startsWith('--')) return parseRun([...argv], env);
  const parser = MODES[mode];
  if (!parser) throw new UsageError(`unknown mode "${mode}"; modes: discover, run`);
  return parser(rest, env);
}
