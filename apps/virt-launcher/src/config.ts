import { normalize } from 'node:path';
import { flagReader, stringFlags } from '@qvirt/cli-config';

/** The in-pod mode's configuration, validated once at start-up (frozen). */
export interface SupervisorConfig {
  readonly vmiUid: string;
  readonly runDir: string;
  /** Both set, or both absent (then the launcher follows whatever domain its own daemon gets). */
  readonly namespace?: string;
  readonly name?: string;
  readonly gracePeriodSeconds: number;
  readonly domainWaitTimeoutSeconds: number;
  /** How the VM's libvirtd is isolated; `auto` decides from this process's capabilities (ADR 0007). */
  readonly isolation: IsolationChoice;
}

export type IsolationChoice = 'auto' | 'namespace' | 'container';
const ISOLATION_CHOICES: readonly IsolationChoice[] = ['auto', 'namespace', 'container'];

export const DEFAULT_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_DOMAIN_WAIT_TIMEOUT_SECONDS = 300;

/** Bad command line: main prints the message and exits 2. */
export class LauncherConfigError extends Error {
  override readonly name = 'LauncherConfigError';
}

// A VMI uid becomes a path component: keep it to what Kubernetes uids look like.
const UID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const SUPERVISOR_USAGE =
  'usage: virt-launcher --vmi-uid UID --run-dir DIR [--namespace NS --name NAME] ' +
  '[--grace-period-seconds N] [--domain-wait-timeout-seconds N] [--isolation auto|namespace|container]';

const flags = flagReader((p) => new LauncherConfigError(p.kind === 'syntax' ? `${p.message}; ${SUPERVISOR_USAGE}` : p.message));

export function parseSupervisorArgs(argv: readonly string[]): SupervisorConfig {
  const values = flags.parse(argv, stringFlags('vmi-uid', 'run-dir', 'namespace', 'name', 'grace-period-seconds', 'domain-wait-timeout-seconds', 'isolation'));

  const vmiUid = required(values['vmi-uid'], 'vmi-uid');
  if (!UID_RE.test(vmiUid) || vmiUid.includes('..')) {
    throw new LauncherConfigError(`--vmi-uid ${JSON.stringify(vmiUid)}: must be 1-128 letters, digits, '.', '_' or '-' (it becomes a file name)`);
  }
  const runDir = flags.absolutePath('--run-dir', required(values['run-dir'], 'run-dir'));

  const { namespace, name } = values;
  if ((namespace === undefined) !== (name === undefined)) {
    throw new LauncherConfigError('--namespace and --name go together: the domain is named <namespace>_<name>');
  }
  const isolation = (values.isolation ?? 'auto') as IsolationChoice;
  if (!ISOLATION_CHOICES.includes(isolation)) {
    throw new LauncherConfigError(`--isolation ${JSON.stringify(values.isolation)}: must be one of ${ISOLATION_CHOICES.join(', ')}`);
  }
  if (namespace !== undefined) flags.dnsSubdomain('--namespace', namespace);
  if (name !== undefined) flags.dnsSubdomain('--name', name);

  return Object.freeze({
    vmiUid,
    runDir: normalize(runDir),
    ...(namespace !== undefined && name !== undefined ? { namespace, name } : {}),
    gracePeriodSeconds: flags.wholeNumber('--grace-period-seconds', values['grace-period-seconds'], {
      min: 0,
      max: 86_400,
      unit: 'seconds',
      default: DEFAULT_GRACE_PERIOD_SECONDS,
    }),
    domainWaitTimeoutSeconds: flags.wholeNumber('--domain-wait-timeout-seconds', values['domain-wait-timeout-seconds'], {
      min: 1,
      max: 86_400,
      unit: 'seconds',
      default: DEFAULT_DOMAIN_WAIT_TIMEOUT_SECONDS,
    }),
    isolation,
  });
}

/** libvirt domain name of a VMI: KubeVirt's `<namespace>_<name>`. */
export function domainNameOf(config: Pick<SupervisorConfig, 'namespace' | 'name'>): string | undefined {
  return config.namespace !== undefined && config.name !== undefined ? `${config.namespace}_${config.name}` : undefined;
}

function required(v: string | undefined, flag: string): string {
  if (v === undefined || v === '') throw new LauncherConfigError(`--${flag} is required; ${SUPERVISOR_USAGE}`);
  return v;
}
