// Killing and restarting qvirt's components mid-lifecycle: on the local stack by SIGKILL and the
// recorded command line; on any cluster by deleting their pods (the Deployment/DaemonSet restarts them).
import type { ComponentName } from '../stack/components.js';
import type { StackLayout } from '../stack/stack-layout.js';
import { isAlive, readPidFiles, removePidFile, stopGroup } from '../stack/stack-process.js';
import { readStackState } from '../stack/stack-state.js';
import { startComponent } from '../stack/up.js';

export interface ComponentControl {
  /** Which components this target can restart (a real cluster has a kubelet, not the node agent). */
  readonly restartable: readonly ComponentName[];
  kill(name: ComponentName): Promise<void>;
  /** Starts it again unless it is running; resolves once it is ready. */
  start(name: ComponentName): Promise<void>;
}

export function localControl(l: StackLayout): ComponentControl {
  return {
    restartable: ['virt-controller', 'virt-handler', 'node-agent'],
    async kill(name) {
      for (const p of await readPidFiles(l.pids)) {
        if (p.name !== name) continue;
        // SIGKILL at once: no clean shutdown, as a crash or OOM kill would leave it.
        await stopGroup(p.pid, 0);
        await removePidFile(p);
      }
    },
    async start(name) {
      // Already running (started, or never killed): nothing to do.
      if ((await readPidFiles(l.pids)).some((p) => p.name === name && isAlive(p.pid))) return;
      const state = await readStackState(l);
      const spec = state?.components.find((c) => c.name === name);
      if (!spec) throw new Error(`no ${name} in ${l.stateFile}`);
      await startComponent(l, spec);
    },
  };
}

const LABELS: Partial<Record<ComponentName, string>> = { 'virt-controller': 'kubevirt.io=virt-controller', 'virt-handler': 'kubevirt.io=virt-handler' };

export function remoteControl(kubectl: (args: string[]) => Promise<string>): ComponentControl {
  return {
    restartable: ['virt-controller', 'virt-handler'],
    async kill(name) {
      const sel = LABELS[name];
      if (!sel) throw new Error(`${name} cannot be restarted on this cluster`);
      await kubectl(['-n', 'kubevirt', 'delete', 'pod', '-l', sel, '--grace-period=0', '--force', '--wait=false']);
    },
    async start(name) {
      const sel = LABELS[name];
      if (!sel) throw new Error(`${name} cannot be restarted on this cluster`);
      await kubectl(['-n', 'kubevirt', 'wait', '--for=condition=Ready', 'pod', '-l', sel, '--timeout=180s']);
    },
  };
}
