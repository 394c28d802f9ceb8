// The node agent's command line, parsed once into a frozen config; every problem names the flag.
import { isAbsolute } from 'node:path';
import { parseArgs } from 'node:util';

export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
}

export interface AgentConfig {
  readonly kubeconfig: string;
  readonly nodeName: string;
  readonly devicePluginDir: string;
  readonly stateDir: string;
  /** Directories put first on the PATH of pod processes (where `virt-launcher` is found). */
  readonly binPaths: readonly string[];
  readonly hostIP: string;
  readonly statusIntervalMs: number;
  readonly cpu: number | undefined;
  readonly memoryBytes: number | undefined;
  readonly maxPods: number;
  readonly logLevel: string;
}

export const USAGE = `usage: qvirt-node-agent --kubeconfig FILE --node-name NAME [--device-plugin-dir DIR] [--state-dir DIR]
  [--bin-path DIR]... [--host-ip IP] [--status-interval-seconds N] [--cpu N] [--memory-bytes N] [--max-pods N] [--log-level info]
Stands in for the kubelet of one node: registers the Node, serves kubelet.sock for device plugins,
runs pods labelled kubevirt.io=virt-launcher as host processes. Nothing else.`;

export function parseAgentConfig(argv: readonly string[]): AgentConfig {
  let values: Record<string, string | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        'node-name': { type: 'string' },
        'device-plugin-dir': { type: 'string' },
        'state-dir': { type: 'string' },
        'bin-path': { type: 'string', multiple: true },
        'host-ip': { type: 'string' },
        'status-interval-seconds': { type: 'string' },
        cpu: { type: 'string' },
        'memory-bytes': { type: 'string' },
        'max-pods': { type: 'string' },
        'log-level': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new AgentConfigError(`${(err as Error).message}\n${USAGE}`);
  }
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const need = (k: string): string => {
    const v = str(k);
    if (!v) throw new AgentConfigError(`--${k} is required\n${USAGE}`);
    return v;
  };
  const nodeName = need('node-name');
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(nodeName)) throw new AgentConfigError(`--node-name ${JSON.stringify(nodeName)}: not a valid Kubernetes node name (lower-case DNS-1123 subdomain)`);
  const abs = (k: string, v: string): string => {
    if (!isAbsolute(v)) throw new AgentConfigError(`--${k} ${JSON.stringify(v)}: must be an absolute path`);
    return v;
  };
  const binPaths = ((values['bin-path'] as string[] | undefined) ?? []).map((p) => abs('bin-path', p));
  const logLevel = str('log-level') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new AgentConfigError(`--log-level ${JSON.stringify(logLevel)}: not a pino level`);
  return Object.freeze({
    kubeconfig: need('kubeconfig'),
    nodeName,
    devicePluginDir: abs('device-plugin-dir', str('device-plugin-dir') ?? '/var/lib/kubelet/device-plugins'),
    stateDir: abs('state-dir', str('state-dir') ?? '/var/lib/qvirt-node-agent'),
    binPaths,
    hostIP: str('host-ip') ?? '127.0.0.1',
    statusIntervalMs: int('status-interval-seconds', str('status-interval-seconds'), 10, 1, 300) * 1000,
    cpu: str('cpu') === undefined ? undefined : int('cpu', str('cpu'), 0, 1, 4096),
    memoryBytes: str('memory-bytes') === undefined ? undefined : int('memory-bytes', str('memory-bytes'), 0, 1, Number.MAX_SAFE_INTEGER),
    maxPods: int('max-pods', str('max-pods'), 110, 1, 10_000),
    logLevel,
  });
}

function int(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new AgentConfigError(`--${flag} ${JSON.stringify(raw)}: must be a whole number from ${min} to ${max}`);
  return Number(raw);
}
