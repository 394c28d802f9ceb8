import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { flagReader, nonEmpty, stringFlags } from '@qvirt/cli-config';
import type { KvmMode } from '@qvirt/controller';

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
  /**
   * Give VFIO launchers CAP_SYS_RESOURCE so libvirt can raise QEMU's memlock limit for pinned
   * guest RAM. Off only on hosts whose container runtime cannot grant it (its bounding set lacks it).
   */
  vfioSysResource: boolean;
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
  [--launcher-image IMAGE] [--kvm-mode emulation|kvm] [--vfio-sys-resource=true|false] [--run-dir DIR]
  [--metrics-port 8443] [--metrics-address 0.0.0.0] [--metrics-tls-cert FILE --metrics-tls-key FILE]
  [--workers N] [--vm-workers N] [--log-level info]
env (defaults for flags): KUBECONFIG, QVIRT_LAUNCHER_IMAGE, QVIRT_KVM_MODE, QVIRT_VFIO_SYS_RESOURCE, POD_NAMESPACE (lease namespace), POD_NAME (identity)`;

const flags = flagReader((p) => new ControllerConfigError(p.kind === 'syntax' ? `${p.message}\n${USAGE}` : p.message));

/** Parses flags (env as defaults) once into a frozen config; every problem names the flag. */
export function parseControllerConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Readonly<ControllerConfig> {
  const values = flags.parse(
    argv,
    stringFlags(
      'kubeconfig',
      'leader-elect',
      'lease-namespace',
      'lease-name',
      'lease-duration',
      'renew-deadline',
      'retry-period',
      'identity',
      'launcher-image',
      'kvm-mode',
      'vfio-sys-resource',
      'run-dir',
      'metrics-port',
      'metrics-address',
      'metrics-tls-cert',
      'metrics-tls-key',
      'workers',
      'vm-workers',
      'log-level',
    ),
  );
  const kvmMode = flags.oneOf('--kvm-mode', values['kvm-mode'] ?? env.QVIRT_KVM_MODE ?? 'emulation', ['emulation', 'kvm']);
  const vfioSysResource = flags.oneOf('--vfio-sys-resource', values['vfio-sys-resource'] ?? env.QVIRT_VFIO_SYS_RESOURCE ?? 'true', ['true', 'false']);
  const leaderElect = flags.oneOf('--leader-elect', values['leader-elect'] ?? 'true', ['true', 'false']);
  const cert = values['metrics-tls-cert'];
  const key = values['metrics-tls-key'];
  if ((cert === undefined) !== (key === undefined)) flags.fail('--metrics-tls-cert', undefined, 'and --metrics-tls-key go together');
  const cfg: ControllerConfig = {
    kubeconfig: values.kubeconfig ?? nonEmpty(env.KUBECONFIG),
    leaderElect: leaderElect === 'true',
    leaseNamespace: flags.dnsSubdomain('--lease-namespace', values['lease-namespace'] ?? env.POD_NAMESPACE ?? 'kubevirt'),
    leaseName: flags.dnsSubdomain('--lease-name', values['lease-name'] ?? 'virt-controller'),
    leaseDurationMs: flags.durationMs('--lease-duration', values['lease-duration'] ?? '15s'),
    renewDeadlineMs: flags.durationMs('--renew-deadline', values['renew-deadline'] ?? '10s'),
    retryPeriodMs: flags.durationMs('--retry-period', values['retry-period'] ?? '2s'),
    identity: values.identity ?? `${env.POD_NAME ?? hostname()}_${randomBytes(4).toString('hex')}`,
    launcherImage: values['launcher-image'] ?? env.QVIRT_LAUNCHER_IMAGE ?? 'qvirt/virt-launcher:latest',
    kvmMode,
    vfioSysResource: vfioSysResource === 'true',
    runDir: flags.absolutePath('--run-dir', values['run-dir'] ?? '/var/run/kubevirt'),
    metricsPort: flags.wholeNumber('--metrics-port', values['metrics-port'], { min: 0, max: 65535, default: 8443 }),
    metricsAddress: values['metrics-address'] ?? '0.0.0.0',
    metricsTlsCert: cert,
    metricsTlsKey: key,
    vmiWorkers: flags.wholeNumber('--workers', values.workers, { min: 1, max: 64, default: 3 }),
    vmWorkers: flags.wholeNumber('--vm-workers', values['vm-workers'], { min: 1, max: 64, default: 2 }),
    logLevel: flags.logLevel('--log-level', values['log-level'] ?? 'info'),
  };
  if (!(cfg.leaseDurationMs > cfg.renewDeadlineMs && cfg.renewDeadlineMs > cfg.retryPeriodMs)) {
    throw new ControllerConfigError(
      `--lease-duration (${cfg.leaseDurationMs} ms) must exceed --renew-deadline (${cfg.renewDeadlineMs} ms), which must exceed --retry-period (${cfg.retryPeriodMs} ms)`,
    );
  }
  return Object.freeze(cfg);
}
