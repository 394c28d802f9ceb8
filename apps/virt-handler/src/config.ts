// `virt-handler [run]`: the node daemon's configuration, parsed and validated once into a
// frozen object. Flags win over env; env over defaults. Every problem names the flag or var.
import { normalize } from 'node:path';
import { DNS_SUBDOMAIN, flagReader, nonEmpty, stringFlags } from '@qvirt/cli-config';
import { NodePaths } from '@qvirt/api';

export class RunConfigError extends Error {
  override readonly name = 'RunConfigError';
}

export type KvmSetting = 'auto' | 'on' | 'off';

export interface RunCommand {
  readonly mode: 'run';
  /** This node's name (NODE_NAME / --node-name): only VMIs with status.nodeName == it are handled. */
  readonly nodeName: string;
  /** undefined: the in-cluster service account. */
  readonly kubeconfig: string | undefined;
  /** Shared with the launchers: `<run-dir>/sockets/<uid>.sock`, `<run-dir>/<uid>/libvirt-sock`. */
  readonly runDir: string;
  readonly devicePluginDir: string;
  readonly sysfsRoot: string;
  readonly devRoot: string;
  /** auto: CPU flags (vmx/svm) and /dev/kvm decide; on/off force it. */
  readonly kvm: KvmSetting;
  /** 0 disables the metrics server. */
  readonly metricsPort: number;
  readonly metricsAddress: string;
  readonly workers: number;
  /** How often node labels and device plugins are re-checked (they also follow config changes). */
  readonly resyncSeconds: number;
  readonly logLevel: string;
}

export interface RunEnv {
  readonly NODE_NAME?: string | undefined;
  readonly KUBECONFIG?: string | undefined;
  readonly QVIRT_SYSFS_ROOT?: string | undefined;
  readonly QVIRT_DEV_ROOT?: string | undefined;
}

export const DEFAULT_METRICS_PORT = 8444;

export const RUN_USAGE = `  virt-handler [run] [--node-name NAME] [--kubeconfig FILE] [--run-dir DIR] [--device-plugin-dir DIR]
      [--sysfs-root DIR] [--dev-root DIR] [--kvm auto|on|off] [--metrics-port N] [--metrics-address ADDR]
      [--workers N] [--resync-seconds N] [--log-level info]
      the node daemon: QAT/KVM device plugins, node labels, VMI sync with the launchers
      env: NODE_NAME (required unless --node-name), KUBECONFIG (else in-cluster), QVIRT_SYSFS_ROOT, QVIRT_DEV_ROOT
      defaults: --run-dir ${NodePaths.runDir}, --device-plugin-dir ${NodePaths.devicePluginDir}, --kvm auto,
                --metrics-port ${DEFAULT_METRICS_PORT} (0: off), --workers 4, --resync-seconds 10`;

const flags = flagReader((p) => new RunConfigError(`run: ${p.message}`));

export function parseRunArgs(args: readonly string[], env: RunEnv): RunCommand {
  const values = flags.parse(
    args,
    stringFlags(
      'node-name',
      'kubeconfig',
      'run-dir',
      'device-plugin-dir',
      'sysfs-root',
      'dev-root',
      'kvm',
      'metrics-port',
      'metrics-address',
      'workers',
      'resync-seconds',
      'log-level',
    ),
  );

  const nodeName = values['node-name'] ?? nonEmpty(env.NODE_NAME);
  if (nodeName === undefined) throw new RunConfigError('run: NODE_NAME is not set (and no --node-name): the handler must know which node it serves');
  if (!DNS_SUBDOMAIN.test(nodeName))
    throw new RunConfigError(`run: node name ${JSON.stringify(nodeName)} is not a valid Kubernetes node name (lower-case DNS-1123 subdomain)`);

  const kvm = flags.oneOf('--kvm', values.kvm ?? 'auto', ['auto', 'on', 'off']);
  const logLevel = flags.logLevel('--log-level', values['log-level'] ?? 'info');
  const kubeconfig = values.kubeconfig ?? nonEmpty(env.KUBECONFIG);
  if (kubeconfig === '') throw new RunConfigError('run: --kubeconfig must not be empty');

  return Object.freeze({
    mode: 'run',
    nodeName,
    kubeconfig,
    runDir: absDir('--run-dir', values['run-dir'] ?? NodePaths.runDir),
    devicePluginDir: absDir('--device-plugin-dir', values['device-plugin-dir'] ?? NodePaths.devicePluginDir),
    sysfsRoot: absDir(values['sysfs-root'] ? '--sysfs-root' : 'QVIRT_SYSFS_ROOT', values['sysfs-root'] ?? nonEmpty(env.QVIRT_SYSFS_ROOT) ?? '/sys'),
    devRoot: absDir(values['dev-root'] ? '--dev-root' : 'QVIRT_DEV_ROOT', values['dev-root'] ?? nonEmpty(env.QVIRT_DEV_ROOT) ?? '/dev'),
    kvm,
    metricsPort: flags.wholeNumber('--metrics-port', values['metrics-port'], { min: 0, max: 65535, default: DEFAULT_METRICS_PORT }),
    metricsAddress: values['metrics-address'] ?? '0.0.0.0',
    workers: flags.wholeNumber('--workers', values.workers, { min: 1, max: 64, default: 4 }),
    resyncSeconds: flags.wholeNumber('--resync-seconds', values['resync-seconds'], { min: 1, max: 3600, default: 10 }),
    logLevel,
  });
}

/** An absolute directory, normalized without a trailing slash (paths are joined onto it). */
function absDir(what: string, v: string): string {
  return normalize(flags.absolutePath(what, v)).replace(/(.)\/+$/, '$1');
}
