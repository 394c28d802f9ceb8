// Every phase a VMI passes through, from a watch (a poll could miss a short-lived one).
import type { VirtualMachineInstance } from '@qvirt/api';
import type { KubeClient } from '@qvirt/kube';
import { vmiPath } from './vmis.js';

export interface PhaseRecorder {
  readonly phases: string[];
  readonly deleted: () => boolean;
  stop(): void;
}

export function recordPhases(c: KubeClient, name: string): PhaseRecorder {
  const phases: string[] = [];
  let deleted = false;
  const abort = new AbortController();
  const loop = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      await c
        .watch<VirtualMachineInstance>(
          vmiPath(),
          { fieldSelector: `metadata.name=${name}`, timeoutSeconds: 60 },
          (ev) => {
            if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') return;
            const p = ev.object.status?.phase;
            if (p && phases.at(-1) !== p) phases.push(p);
            if (ev.type === 'DELETED') deleted = true;
          },
          abort.signal,
        )
        .catch(() => new Promise((r) => setTimeout(r, 200)));
    }
  };
  void loop();
  return { phases, deleted: () => deleted, stop: () => abort.abort() };
}
