// A container's environment as the kubelet builds it (pure): the pod's env with fieldRefs
// resolved, then what the device plugins' Allocate answered.
import type { Container, Pod } from './pod.js';

/** The pod cannot run as written (the kubelet's CreateContainerConfigError). */
export class PodConfigError extends Error {
  override readonly name = 'PodConfigError';
}

export interface EnvInputs {
  /** What every process on this host needs (PATH, HOME): the image's env in a real runtime. */
  readonly base: Readonly<Record<string, string>>;
  readonly hostIP: string;
  /** Allocate responses' envs, in resource order. */
  readonly deviceEnvs: readonly Readonly<Record<string, string>>[];
}

export function containerEnv(pod: Pod, container: Container, i: EnvInputs): Record<string, string> {
  const env: Record<string, string> = { ...i.base };
  for (const v of container.env ?? []) {
    if (v.value !== undefined || v.valueFrom === undefined) {
      env[v.name] = expand(v.value ?? '', env);
      continue;
    }
    const ref = v.valueFrom.fieldRef;
    if (!ref) {
      const kind = Object.keys(v.valueFrom)[0] ?? 'valueFrom';
      throw new PodConfigError(`container ${container.name}: env ${v.name}: ${kind} is not supported by the qvirt node agent (only value and fieldRef)`);
    }
    env[v.name] = fieldValue(pod, ref.fieldPath, i.hostIP, `container ${container.name}: env ${v.name}`);
  }
  for (const e of i.deviceEnvs) Object.assign(env, e);
  return env;
}

/** The downward API fields a fieldRef may name. */
export function fieldValue(pod: Pod, path: string, hostIP: string, where: string): string {
  const m = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.hostIP':
    case 'status.podIP':
      return hostIP;
    default:
      throw new PodConfigError(`${where}: fieldRef ${JSON.stringify(path)} is not a supported downward API field`);
  }
}

/** `$(VAR)` references to earlier variables, `$$` escapes, as Kubernetes expands them. */
export function expand(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, name?: string) => (name === undefined ? '$' : (env[name] ?? all)));
}

/** command + args with `$(VAR)` expanded; a container with neither cannot run here (no image entrypoint). */
export function containerArgv(container: Container, env: Readonly<Record<string, string>>): string[] {
  const argv = [...(container.command ?? []), ...(container.args ?? [])].map((a) => expand(a, env));
  if ((container.command ?? []).length === 0) {
    throw new PodConfigError(`container ${container.name}: no command; the qvirt node agent has no images, so the command must name a program on the host`);
  }
  return argv;
}
