// Killing and restarting qvirt's components mid-lifecycle, the same way on every cluster: deleting
// their pods (the Deployment or DaemonSet makes new ones). On the local stack the node's own
// processes (kubelet, containerd) can be restarted too.
import { eventually } from '@qvirt/testing';
import { NODE_NETWORK } from '../stack/node/node-network.js';
import { nodePaths } from '../stack/node/node-paths.js';
import { startNodeProcess, type NodeProcessName } from '../stack/node/node-start.js';
import type { StackLayout } from '../stack/stack-layout.js';
import { isAlive, readPidFiles, removePidFile } from '../stack/stack-process.js';
import { readStackState } from '../stack/stack-state.js';

export type ComponentName = 'virt-controller' | 'virt-handler' | 'virt-api';

export interface ComponentControl {
  readonly restartable: readonly ComponentName[];
  /** Deletes the component's pods at once (no grace period), as a crash or node loss would. */
  kill(name: ComponentName): Promise<void>;
  /** Resolves once the component's pods are Ready again. */
  start(name: ComponentName): Promise<void>;
}

const LABELS: Record<ComponentName, string> = {
  'virt-controller': 'kubevirt.io=virt-controller',
  'virt-handler': 'kubevirt.io=virt-handler',
  'virt-api': 'kubevirt.io=virt-api',
};

export function podControl(kubectl: (args: string[]) => Promise<string>): ComponentControl {
  return {
    restartable: ['virt-controller', 'virt-handler'],
    async kill(name) {
      await kubectl(['-n', 'kubevirt', 'delete', 'pod', '-l', LABELS[name], '--grace-period=0', '--force', '--wait=false']);
    },
    async start(name) {
      // A replacement may not exist yet right after the delete: wait for one, then for Ready.
      await eventually(
        `${name} pods Ready`,
        async () => {
          const pods = await kubectl([
            '-n',
            'kubevirt',
            'get',
            'pod',
            '-l',
            LABELS[name],
            '-o',
            'jsonpath={range .items[*]}{.metadata.deletionTimestamp}|{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
          ]);
          const live = pods.split('\n').filter((l) => l !== '' && l.startsWith('|'));
          if (live.length > 0 && live.every((l) => l === '|True')) return true;
          throw new Error(`not Ready:\n${pods}`);
        },
        { timeoutMs: 180_000, intervalMs: 500 },
      );
    },
  };
}

/** The local stack's node processes. */
export interface NodeControl {
  kill(name: NodeProcessName, signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again with the command line `up` used. */
  start(name: NodeProcessName): Promise<void>;
  pid(name: NodeProcessName): Promise<number | undefined>;
}

export function nodeControl(l: StackLayout): NodeControl {
  const pidFile = async (name: NodeProcessName) => (await readPidFiles(l.pids)).find((p) => p.name === name);
  return {
    async pid(name) {
      const p = await pidFile(name);
      return p && isAlive(p.pid) ? p.pid : undefined;
    },
    async kill(name, signal) {
      const p = await pidFile(name);
      if (!p) throw new Error(`no pid file for ${name} in ${l.pids}`);
      try {
        process.kill(p.pid, signal);
      } catch {
        // gone already
      }
      await eventually(`${name} (pid ${p.pid}) gone after ${signal}`, () => !isAlive(p.pid), { timeoutMs: 30_000, intervalMs: 100 });
      await removePidFile(p);
    },
    async start(name) {
      const p = await pidFile(name);
      if (p && isAlive(p.pid)) return;
      const state = await readStackState(l);
      const spec = state?.nodeProcesses.find((s) => s.name === name);
      if (!state || !spec) throw new Error(`no ${name} in ${l.stateFile}`);
      await startNodeProcess({ layout: l, paths: nodePaths(l.root), network: NODE_NETWORK, nodeBin: state.nodeBinDir, name, argv: spec.argv });
    },
  };
}
