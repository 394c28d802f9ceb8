// qvirt's processes in the local stack as data (pure): command line, env, readiness probe. `up`
// starts them from these specs and records them in .stack/stack.json, so `down` and the e2e
// suite (which kills and restarts them) use the very same command lines.
import { join } from 'node:path';
import { ResourceNames } from '@qvirt/api';
import type { StackLayout, StackPorts } from './stack-layout.js';
import { STACK_NODE_CPUS, STACK_NODE_NAME } from './stack-layout.js';

export type ComponentName = 'virt-api' | 'node-agent' | 'virt-handler' | 'virt-controller';

export interface ComponentSpec {
  readonly name: ComponentName;
  /** Start order (pid files are stopped in reverse). */
  readonly order: number;
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  /** HTTP(S) readiness endpoint, if the component has one. */
  readonly readyUrl?: string;
}

export interface ComponentInputs {
  readonly layout: StackLayout;
  readonly ports: StackPorts;
  readonly node: string;
  /** ServiceAccount kubeconfigs (RBAC enforced), and the node's system:node identity. */
  readonly kubeconfigs: { virtApi: string; virtController: string; virtHandler: string; node: string };
  /** The node's binary: process.execPath. */
  readonly nodeBin: string;
}

export function componentSpecs(i: ComponentInputs): ComponentSpec[] {
  const { layout: l, ports: p } = i;
  const app = (name: string) => join(l.repo, 'apps', name, 'bin', `${name}.js`);
  const sysfs = join(l.qatHost, 'sys');
  const dev = join(l.qatHost, 'dev');
  return [
    {
      name: 'virt-api',
      order: 10,
      command: i.nodeBin,
      args: [app('virt-api'), 'serve', '--host', '127.0.0.1', '--port', String(p.virtApiPort), '--tls-cert-file', join(l.virtApiCerts, 'tls.crt'), '--tls-key-file', join(l.virtApiCerts, 'tls.key'), '--kubeconfig', i.kubeconfigs.virtApi],
      env: {},
      readyUrl: `https://127.0.0.1:${p.virtApiPort}/readyz`,
    },
    {
      name: 'node-agent',
      order: 20,
      command: i.nodeBin,
      args: [
        join(l.repo, 'e2e', 'dist', 'node-agent', 'src', 'main.js'),
        '--kubeconfig', i.kubeconfigs.node,
        '--node-name', i.node,
        '--device-plugin-dir', l.devicePlugins,
        '--state-dir', l.nodeAgentState,
        '--bin-path', join(l.repo, 'node_modules', '.bin'),
        '--cpu', String(STACK_NODE_CPUS),
      ],
      env: {},
    },
    {
      name: 'virt-handler',
      order: 30,
      command: i.nodeBin,
      args: [
        app('virt-handler'), 'run',
        '--node-name', i.node,
        '--kubeconfig', i.kubeconfigs.virtHandler,
        '--run-dir', l.runDir,
        '--device-plugin-dir', l.devicePlugins,
        '--sysfs-root', sysfs,
        '--dev-root', dev,
        '--kvm', 'off',
        '--metrics-address', '127.0.0.1',
        '--metrics-port', String(p.handlerMetricsPort),
      ],
      env: { QVIRT_SYSFS_ROOT: sysfs, QVIRT_DEV_ROOT: dev, NODE_NAME: i.node },
      readyUrl: `http://127.0.0.1:${p.handlerMetricsPort}/readyz`,
    },
    {
      name: 'virt-controller',
      order: 40,
      command: i.nodeBin,
      args: [
        app('virt-controller'),
        '--kubeconfig', i.kubeconfigs.virtController,
        // One replica: no lease wait after a kill -9 (the e2e suite restarts it mid-lifecycle).
        '--leader-elect=false',
        '--launcher-image', 'qvirt/virt-launcher:dev',
        '--kvm-mode', 'emulation',
        '--run-dir', l.runDir,
        '--metrics-address', '127.0.0.1',
        '--metrics-port', String(p.controllerMetricsPort),
      ],
      env: {},
      readyUrl: `http://127.0.0.1:${p.controllerMetricsPort}/readyz`,
    },
  ];
}

/** The simulated QAT host of the stack's node (FACTS.md: C62x VFs on vfio-pci). */
export const STACK_QAT_HOST = { pfs: [{ generation: 'c62x' as const, vfs: 8 }, { generation: 'c62x' as const, vfs: 8 }] };
export const STACK_QAT_VFS = 16;
export const QAT_RESOURCE = ResourceNames.qatGeneric;
export { STACK_NODE_NAME };
