// Flag and env value checks shared by the apps' config parsers. Each app keeps its own config
// shape and error class: the reader builds every problem through the app's own factory, so
// messages name the flag (or env var) and the value, e.g. `--workers "0": must be a whole
// number from 1 to 64`.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** parseArgs' option table (`{ workers: { type: 'string' } }`); node:util does not export its name. */
export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

export interface FlagProblem {
  /** syntax: the command line itself (unknown flag, missing value); value: one flag's value. */
  kind: 'syntax' | 'value';
  /** The flag as written (`--workers`) or env var (`NODE_NAME`); `flags` for syntax problems. */
  name: string;
  /** The offending value (undefined: missing, or a syntax problem). */
  value: string | undefined;
  /** Why, without the name: `must be a whole number from 1 to 64`. */
  reason: string;
  /** `<name> "<value>": <reason>`, or parseArgs' message for syntax problems. */
  message: string;
}

type FlagParseConfig<O extends FlagOptions> = { args: string[]; options: O; strict: true; allowPositionals: false };
export type FlagValues<O extends FlagOptions> = ReturnType<typeof parseArgs<FlagParseConfig<O>>>['values'];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Kubernetes object names (namespaces, nodes, leases): lower-case DNS-1123 subdomain. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export interface FlagReader {
  /** node:util parseArgs, strict, no positionals. */
  parse<const O extends FlagOptions>(argv: readonly string[], options: O): FlagValues<O>;
  /** Digits only, within [min, max]; `default` when raw is undefined. */
  wholeNumber(name: string, raw: string | undefined, range: { min: number; max: number; default?: number; unit?: string }): number;
  /** `500ms`, `15s`, `1.5m` -> milliseconds (> 0). */
  durationMs(name: string, raw: string): number;
  absolutePath(name: string, raw: string): string;
  dnsSubdomain(name: string, raw: string): string;
  oneOf<const T extends string>(name: string, raw: string, allowed: readonly T[]): T;
  logLevel(name: string, raw: string): (typeof LOG_LEVELS)[number];
  /** An app-specific check that failed: the same message shape and error class. */
  fail(name: string, value: string | undefined, reason: string): never;
}

/** A reader whose problems become `toError(problem)` (the app's own error class and prefix). */
export function flagReader(toError: (problem: FlagProblem) => Error): FlagReader {
  const fail = (name: string, value: string | undefined, reason: string): never => {
    const message = value === undefined ? `${name} ${reason}` : `${name} ${JSON.stringify(value)}: ${reason}`;
    throw toError({ kind: 'value', name, value, reason, message });
  };
  const reader: FlagReader = {
    parse(argv, options) {
      try {
        return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw toError({ kind: 'syntax', name: 'flags', value: undefined, reason: message, message });
      }
    },
    wholeNumber(name, raw, { min, max, default: fallback, unit }) {
      if (raw === undefined) return fallback ?? fail(name, undefined, 'is required');
      if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
        fail(name, raw, `must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`);
      return Number(raw);
    },
    durationMs(name, raw) {
      const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(raw);
      if (!m) return fail(name, raw, 'must be a duration like 500ms, 15s or 1m');
      const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
      return ms > 0 ? ms : fail(name, raw, 'must be positive');
    },
    absolutePath(name, raw) {
      // POSIX only: the daemons run on Linux nodes.
      return raw.startsWith('/') ? raw : fail(name, raw, 'must be an absolute path');
    },
    dnsSubdomain(name, raw) {
      return DNS_SUBDOMAIN.test(raw) ? raw : fail(name, raw, 'not a valid Kubernetes name (lower-case DNS-1123)');
    },
    oneOf(name, raw, allowed) {
      return (allowed as readonly string[]).includes(raw) ? (raw as (typeof allowed)[number]) : fail(name, raw, `must be ${alternatives(allowed)}`);
    },
    logLevel(name, raw) {
      return reader.oneOf(name, raw, LOG_LEVELS);
    },
    fail,
  };
  return reader;
}

/** Options that each take one string value, by name: most of every app's option table. */
export function stringFlags<const N extends string>(...names: N[]): { [K in N]: { type: 'string' } } {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' }])) as { [K in N]: { type: 'string' } };
}

/** An env var set to '' counts as unset. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function alternatives(list: readonly string[]): string {
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`;
}
