import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { KvmMode } from './vmi/launcher-resources.js';

export class ControllerConfigError extends Error {
  override name = 'ControllerConfigError';
}

export interface ControllerConfig {
  /** undefined: in-cluster service account. */
  kubeconfig: string | undefined;
  leaderElect: boolean;
  leaseNamespace: string;
  leaseName: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  identity: string;
  launcherImage: string;
  kvmMode: KvmMode;
  runDir: string;
  /** 0 disables the metrics server. */
  metricsPort: number;
  metricsAddress: string;
  metricsTlsCert: string | undefined;
  metricsTlsKey: string | undefined;
  vmiWorkers: number;
  vmWorkers: number;
  logLevel: string;
}

export const USAGE = `usage: virt-controller [--kubeconfig FILE] [--leader-elect=true|false] [--lease-namespace NS] [--lease-name NAME]
  [--lease-duration 15s] [--renew-deadline 10s] [--retry-period 2s] [--identity ID]
  [--launcher-image IMAGE] [--kvm-mode emulation|kvm] [--run-dir DIR]
  [--metrics-port 8443] [--metrics-address 0.0.0.0] [--metrics-tls-cert FILE --metrics-tls-key FILE]
  [--workers N] [--vm-workers N] [--log-level info]
env (defaults for flags): KUBECONFIG, QVIRT_LAUNCHER_IMAGE, QVIRT_KVM_MODE, POD_NAMESPACE (lease namespace), POD_NAME (identity)`;

/** Parses flags (env as defaults) once into a frozen config; every problem names the flag. */
export function parseControllerConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Readonly<ControllerConfig> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        'leader-elect': { type: 'string' },
        'lease-namespace': { type: 'string' },
        'lease-name': { type: 'string' },
        'lease-duration': { type: 'string' },
        'renew-deadline': { type: 'string' },
        'retry-period': { type: 'string' },
        identity: { type: 'string' },
        'launcher-image': { type: 'string' },
        'kvm-mode': { type: 'string' },
        'run-dir': { type: 'string' },
        'metrics-port': { type: 'string' },
        'metrics-address': { type: 'string' },
        'metrics-tls-cert': { type: 'string' },
        'metrics-tls-key': { type: 'string' },
        workers: { type: 'string' },
        'vm-workers': { type: 'string' },
        'log-level': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new ControllerConfigError(`${(err as Error).message}\n${USAGE}`);
  }
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const kvmMode = str('kvm-mode') ?? env.QVIRT_KVM_MODE ?? 'emulation';
  if (kvmMode !== 'emulation' && kvmMode !== 'kvm') throw new ControllerConfigError(`--kvm-mode ${JSON.stringify(kvmMode)}: must be emulation or kvm`);
  const leaderElect = str('leader-elect') ?? 'true';
  if (leaderElect !== 'true' && leaderElect !== 'false') throw new ControllerConfigError(`--leader-elect ${JSON.stringify(leaderElect)}: must be true or false`);
  const cert = str('metrics-tls-cert');
  const key = str('metrics-tls-key');
  if ((cert === undefined) !== (key === undefined)) throw new ControllerConfigError('--metrics-tls-cert and --metrics-tls-key go together');
  const runDir = str('run-dir') ?? '/var/run/kubevirt';
  if (!runDir.startsWith('/')) throw new ControllerConfigError(`--run-dir ${JSON.stringify(runDir)}: must be an absolute path`);
  const cfg: ControllerConfig = {
    kubeconfig: str('kubeconfig') ?? (env.KUBECONFIG || undefined),
    leaderElect: leaderElect === 'true',
    leaseNamespace: dnsName('lease-namespace', str('lease-namespace') ?? env.POD_NAMESPACE ?? 'kubevirt'),
    leaseName: dnsName('lease-name', str('lease-name') ?? 'virt-controller'),
    leaseDurationMs: duration('lease-duration', str('lease-duration') ?? '15s'),
    renewDeadlineMs: duration('renew-deadline', str('renew-deadline') ?? '10s'),
    retryPeriodMs: duration('retry-period', str('retry-period') ?? '2s'),
    identity: str('identity') ?? `${env.POD_NAME ?? hostname()}_${randomBytes(4).toString('hex')}`,
    launcherImage: str('launcher-image') ?? env.QVIRT_LAUNCHER_IMAGE ?? 'qvirt/virt-launcher:latest',
    kvmMode,
    runDir,
    metricsPort: int('metrics-port', str('metrics-port') ?? '8443', 0, 65535),
    metricsAddress: str('metrics-address') ?? '0.0.0.0',
    metricsTlsCert: cert,
    metricsTlsKey: key,
    vmiWorkers: int('workers', str('workers') ?? '3', 1, 64),
    vmWorkers: int('vm-workers', str('vm-workers') ?? '2', 1, 64),
    logLevel: str('log-level') ?? 'info',
  };
  if (!(cfg.leaseDurationMs > cfg.renewDeadlineMs && cfg.renewDeadlineMs > cfg.retryPeriodMs)) {
    throw new ControllerConfigError(`--lease-duration (${cfg.leaseDurationMs} ms) must exceed --renew-deadline (${cfg.renewDeadlineMs} ms), which must exceed --retry-period (${cfg.retryPeriodMs} ms)`);
  }
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(cfg.logLevel)) throw new ControllerConfigError(`--log-level ${JSON.stringify(cfg.logLevel)}: not a pino level`);
  return Object.freeze(cfg);
}

/** "15s", "500ms", "1m" -> milliseconds. */
export function duration(flag: string, v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(v);
  if (!m) throw new ControllerConfigError(`--${flag} ${JSON.stringify(v)}: must be a duration like 500ms, 15s or 1m`);
  const n = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
  if (n <= 0) throw new ControllerConfigError(`--${flag} ${JSON.stringify(v)}: must be positive`);
  return n;
}

function int(flag: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new ControllerConfigError(`--${flag} ${JSON.stringify(v)}: must be a whole number from ${min} to ${max}`);
  return Number(v);
}

function dnsName(flag: string, v: string): string {
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(v)) throw new ControllerConfigError(`--${flag} ${JSON.stringify(v)}: not a valid Kubernetes name`);
  return v;
}
