// The node agent's command line, parsed once into a frozen config; every problem names the flag.
import { DNS_SUBDOMAIN, flagReader, stringFlags } from '@qvirt/cli-config';

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

const flags = flagReader((p) => new AgentConfigError(p.kind === 'syntax' || p.value === undefined ? `${p.message}\n${USAGE}` : p.message));

export function parseAgentConfig(argv: readonly string[]): AgentConfig {
  const values = flags.parse(argv, {
    ...stringFlags('kubeconfig', 'node-name', 'device-plugin-dir', 'state-dir', 'host-ip', 'status-interval-seconds', 'cpu', 'memory-bytes', 'max-pods', 'log-level'),
    'bin-path': { type: 'string', multiple: true },
  });
  const need = (k: 'kubeconfig' | 'node-name'): string => values[k] || flags.fail(`--${k}`, undefined, 'is required');
  const nodeName = need('node-name');
  // The agent's own wording: it registers this name as a Node.
  if (!DNS_SUBDOMAIN.test(nodeName)) flags.fail('--node-name', nodeName, 'not a valid Kubernetes node name (lower-case DNS-1123 subdomain)');
  const optionalInt = (k: 'cpu' | 'memory-bytes', max: number) => (values[k] === undefined ? undefined : flags.wholeNumber(`--${k}`, values[k], { min: 1, max }));
  return Object.freeze({
    kubeconfig: need('kubeconfig'),
    nodeName,
    devicePluginDir: flags.absolutePath('--device-plugin-dir', values['device-plugin-dir'] ?? '/var/lib/kubelet/device-plugins'),
    stateDir: flags.absolutePath('--state-dir', values['state-dir'] ?? '/var/lib/qvirt-node-agent'),
    binPaths: (values['bin-path'] ?? []).map((p) => flags.absolutePath('--bin-path', p)),
    hostIP: values['host-ip'] ?? '127.0.0.1',
    statusIntervalMs: flags.wholeNumber('--status-interval-seconds', values['status-interval-seconds'], { min: 1, max: 300, default: 10 }) * 1000,
    cpu: optionalInt('cpu', 4096),
    memoryBytes: optionalInt('memory-bytes', Number.MAX_SAFE_INTEGER),
    maxPods: flags.wholeNumber('--max-pods', values['max-pods'], { min: 1, max: 10_000, default: 110 }),
    logLevel: flags.logLevel('--log-level', values['log-level'] ?? 'info'),
  });
}
