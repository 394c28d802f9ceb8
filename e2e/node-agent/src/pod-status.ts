// Pod status as the kubelet would post it (pure): from what the node knows about the pod's process.
import { kubeTime, type ContainerStatus, type Pod, type PodCondition, type PodStatus } from './pod.js';

export type ProcessState =
  | { readonly kind: 'running'; readonly startedAt: Date; readonly containerID: string }
  | {
      readonly kind: 'exited';
      readonly startedAt: Date;
      readonly finishedAt: Date;
      readonly exitCode: number;
      /** Default: Completed for 0, Error otherwise. */
      readonly reason?: string;
      readonly message?: string;
      readonly containerID: string;
    };

/** The pod could not start at all (admission or configuration). */
export interface StartFailure {
  readonly reason: string;
  readonly message: string;
}

const MANAGED = new Set(['Initialized', 'PodReadyToStartContainers', 'ContainersReady', 'Ready']);

function conditions(pod: Pod, ready: boolean, reason: string | undefined, at: string): PodCondition[] {
  const keep = (pod.status?.conditions ?? []).filter((c) => !MANAGED.has(c.type));
  const mk = (type: string, status: boolean, why?: string): PodCondition => {
    const prev = pod.status?.conditions?.find((c) => c.type === type);
    const s = status ? 'True' : 'False';
    return { type, status: s, ...(why ? { reason: why } : {}), lastProbeTime: null, lastTransitionTime: prev?.status === s && prev.lastTransitionTime ? prev.lastTransitionTime : at };
  };
  return [...keep, mk('PodReadyToStartContainers', true), mk('Initialized', true), mk('ContainersReady', ready, reason), mk('Ready', ready, reason)];
}

/** The status for a pod whose single container is running or has exited. */
export function podStatusFor(pod: Pod, state: ProcessState, hostIP: string): PodStatus {
  const c = pod.spec.containers[0];
  const name = c?.name ?? 'compute';
  const startedAt = kubeTime(state.startedAt);
  const base = { name, restartCount: 0, image: c?.image ?? '', imageID: '', containerID: state.containerID };
  let containerStatus: ContainerStatus;
  let phase: PodStatus['phase'];
  let notReady: string | undefined;
  if (state.kind === 'running') {
    phase = 'Running';
    containerStatus = { ...base, state: { running: { startedAt } }, ready: true, started: true };
  } else {
    phase = state.exitCode === 0 ? 'Succeeded' : 'Failed';
    notReady = state.exitCode === 0 ? 'PodCompleted' : 'PodFailed';
    containerStatus = {
      ...base,
      ready: false,
      started: false,
      state: {
        terminated: {
          exitCode: state.exitCode,
          reason: state.reason ?? (state.exitCode === 0 ? 'Completed' : 'Error'),
          ...(state.message ? { message: state.message } : {}),
          startedAt,
          finishedAt: kubeTime(state.finishedAt),
          containerID: state.containerID,
        },
      },
    };
  }
  const at = state.kind === 'running' ? startedAt : kubeTime(state.finishedAt);
  return {
    phase,
    conditions: conditions(pod, state.kind === 'running', notReady, at),
    containerStatuses: [containerStatus],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP: hostIP,
    podIPs: [{ ip: hostIP }],
    startTime: pod.status?.startTime ?? startedAt,
  };
}

/** The kubelet's answer to a pod it cannot run (UnexpectedAdmissionError, CreateContainerConfigError). */
export function failedToStartStatus(pod: Pod, f: StartFailure, hostIP: string, now: Date): PodStatus {
  const c = pod.spec.containers[0];
  return {
    phase: 'Failed',
    reason: f.reason,
    message: f.message,
    conditions: conditions(pod, false, 'PodFailed', kubeTime(now)),
    containerStatuses: [
      { name: c?.name ?? 'compute', restartCount: 0, image: c?.image ?? '', imageID: '', ready: false, started: false, state: { waiting: { reason: f.reason, message: f.message } } },
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: pod.status?.startTime ?? kubeTime(now),
  };
}

/** Whether posting `desired` would change what the API server holds (level-based, restart safe). */
export function statusDiffers(current: PodStatus | undefined, desired: PodStatus): boolean {
  const sig = (s: PodStatus | undefined) =>
    JSON.stringify([s?.phase, s?.reason ?? null, (s?.containerStatuses ?? []).map((c) => [c.name, Object.keys(c.state)[0], c.ready, 'terminated' in c.state ? c.state.terminated.exitCode : null])]);
  return sig(current) !== sig(desired);
}
