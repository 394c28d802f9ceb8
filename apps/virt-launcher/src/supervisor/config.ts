import { isAbsolute, normalize } from 'node:path';
import { parseArgs } from 'node:util';

/** The in-pod mode's configuration, validated once at start-up (frozen). */
export interface SupervisorConfig {
  readonly vmiUid: string;
  readonly runDir: string;
  /** Both set, or both absent (then the launcher follows whatever domain its own daemon gets). */
  readonly namespace?: string;
  readonly name?: string;
  readonly gracePeriodSeconds: number;
  readonly domainWaitTimeoutSeconds: number;
}

export const DEFAULT_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_DOMAIN_WAIT_TIMEOUT_SECONDS = 300;

/** Bad command line: main prints the message and exits 2. */
export class LauncherConfigError extends Error {
  override readonly name = 'LauncherConfigError';
}

// A VMI uid becomes a path component: keep it to what Kubernetes uids look like.
const UID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// Namespace and name are DNS-1123 subdomain/labels in Kubernetes.
const DNS_RE = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export const SUPERVISOR_USAGE =
  'usage: virt-launcher --vmi-uid UID --run-dir DIR [--namespace NS --name NAME] ' +
  '[--grace-period-seconds N] [--domain-wait-timeout-seconds N]';

export function parseSupervisorArgs(argv: readonly string[]): SupervisorConfig {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'vmi-uid': { type: 'string' },
        'run-dir': { type: 'string' },
        namespace: { type: 'string' },
        name: { type: 'string' },
        'grace-period-seconds': { type: 'string' },
        'domain-wait-timeout-seconds': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new LauncherConfigError(`${err instanceof Error ? err.message : String(err)}; ${SUPERVISOR_USAGE}`);
  }

  const vmiUid = required(values, 'vmi-uid');
  if (!UID_RE.test(vmiUid) || vmiUid.includes('..')) {
    throw new LauncherConfigError(`--vmi-uid ${JSON.stringify(vmiUid)}: must be 1-128 letters, digits, '.', '_' or '-' (it becomes a file name)`);
  }
  const runDir = required(values, 'run-dir');
  if (!isAbsolute(runDir)) throw new LauncherConfigError(`--run-dir ${JSON.stringify(runDir)}: must be an absolute path`);

  const { namespace, name } = values;
  if ((namespace === undefined) !== (name === undefined)) {
    throw new LauncherConfigError('--namespace and --name go together: the domain is named <namespace>_<name>');
  }
  for (const [flag, v] of [['namespace', namespace], ['name', name]] as const) {
    if (v !== undefined && !DNS_RE.test(v)) {
      throw new LauncherConfigError(`--${flag} ${JSON.stringify(v)}: not a valid Kubernetes name (lower-case DNS-1123)`);
    }
  }

  return Object.freeze({
    vmiUid,
    runDir: normalize(runDir),
    ...(namespace !== undefined && name !== undefined ? { namespace, name } : {}),
    gracePeriodSeconds: seconds(values, 'grace-period-seconds', DEFAULT_GRACE_PERIOD_SECONDS, 0),
    domainWaitTimeoutSeconds: seconds(values, 'domain-wait-timeout-seconds', DEFAULT_DOMAIN_WAIT_TIMEOUT_SECONDS, 1),
  });
}

/** libvirt domain name of a VMI: KubeVirt's `<namespace>_<name>`. */
export function domainNameOf(config: Pick<SupervisorConfig, 'namespace' | 'name'>): string | undefined {
  return config.namespace !== undefined && config.name !== undefined ? `${config.namespace}_${config.name}` : undefined;
}

function required(values: Record<string, string | undefined>, flag: string): string {
  const v = values[flag];
  if (v === undefined || v === '') throw new LauncherConfigError(`--${flag} is required; ${SUPERVISOR_USAGE}`);
  return v;
}

function seconds(values: Record<string, string | undefined>, flag: string, fallback: number, min: number): number {
  const v = values[flag];
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > 86_400) {
    throw new LauncherConfigError(`--${flag} ${JSON.stringify(v)}: must be a whole number of seconds from ${min} to 86400`);
  }
  return Number(v);
}
