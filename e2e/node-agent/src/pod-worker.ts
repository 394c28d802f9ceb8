// Runs the launcher pods bound to this node (the kubelet's pod workers, reduced to one container
// per pod, no images, no restarts). Level-based: every pass re-reads the pod and the process.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { LabelValues, Labels } from '@qvirt/api';
import { isNotFound, type KubeClient } from '@qvirt/kube';
import { DeviceAdmissionError, deviceRequests, isExtendedResource } from './device-allocation.js';
import type { DeviceManager } from './device-manager.js';
import { KeyedRunner } from './keyed-runner.js';
import { lastLogLine } from './log-tail.js';
import { errMessage, type AgentLogger } from './logger.js';
import { PluginCallError } from './plugin-endpoint.js';
import { isTerminalPhase, type Pod, type PodStatus } from './pod.js';
import { podFiles, readCheckpoints, removePodState, writeCheckpoint, type PodCheckpoint } from './pod-checkpoint.js';
import { containerArgv, containerEnv, PodConfigError } from './pod-env.js';
import { failedToStartStatus, podStatusFor, statusDiffers, type ProcessState } from './pod-status.js';
import { killGroup, readExitCode, shimAlive, spawnShim, terminate, type ShimProcess } from './pod-shim.js';

export interface PodWorkerOptions {
  readonly client: KubeClient;
  readonly devices: DeviceManager;
  readonly logger: AgentLogger;
  readonly stateDir: string;
  readonly hostIP: string;
  /** Environment every pod process starts from (PATH with the launcher's bin dir, HOME). */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** After start, how long a pod waits for its device plugins to register before it fails. Default 30 s. */
  readonly pluginWaitMs?: number;
  readonly pollIntervalMs?: number;
}

interface Runtime {
  cp: PodCheckpoint;
  shim: ShimProcess;
  state: ProcessState;
  killAt?: number;
  killed?: boolean;
}

const CONTAINER_ID_PREFIX = 'qvirt-node-agent://';

export class PodWorker {
  private readonly pods = new Map<string, Pod>();
  private readonly runtimes = new Map<string, Runtime>();
  private readonly ignored = new Set<string>();
  private readonly runner: KeyedRunner;
  private readonly startedAt = Date.now();
  private poll: NodeJS.Timeout | undefined;

  constructor(private readonly o: PodWorkerOptions) {
    this.runner = new KeyedRunner(
      (uid) => this.reconcile(uid),
      (uid, err) => this.o.logger.warn({ podUid: uid, err: errMessage(err) }, 'pod sync failed; retrying'),
    );
  }

  /** Adopts the processes of pods started before an agent restart (and their devices). */
  async restore(): Promise<void> {
    for (const cp of await readCheckpoints(this.o.stateDir, (dir, err) => this.o.logger.warn({ dir, err: errMessage(err) }, 'unreadable pod checkpoint ignored'))) {
      const shim = { pid: cp.shimPid, startTime: cp.shimStartTime };
      const rt: Runtime = { cp, shim, state: { kind: 'running', startedAt: new Date(cp.startedAt), containerID: cp.containerID } };
      this.refreshExit(rt);
      this.runtimes.set(cp.podUid, rt);
      this.o.devices.restore(cp.podUid, cp.devices);
      this.o.logger.info({ pod: `${cp.namespace}/${cp.name}`, podUid: cp.podUid, state: rt.state.kind, devices: cp.devices }, 'adopted pod from checkpoint');
    }
    this.poll = setInterval(() => this.checkProcesses(), this.o.pollIntervalMs ?? 500);
  }

  /** Informer events; deletions pass `undefined` with the uid. */
  podChanged(pod: Pod): void {
    this.pods.set(pod.metadata.uid, pod);
    this.runner.enqueue(pod.metadata.uid);
  }

  podDeleted(pod: Pod): void {
    this.pods.delete(pod.metadata.uid);
    this.runner.enqueue(pod.metadata.uid);
  }

  /** After the first list: pods that vanished while the agent was down get cleaned up. */
  resyncAll(): void {
    for (const uid of new Set([...this.pods.keys(), ...this.runtimes.keys()])) this.runner.enqueue(uid);
  }

  /** Stops watching; pod processes keep running (they are adopted by the next agent). */
  stop(): void {
    if (this.poll) clearInterval(this.poll);
    this.runner.stop();
  }

  runningPods(): { uid: string; pid: number }[] {
    return [...this.runtimes.values()].filter((r) => r.state.kind === 'running').map((r) => ({ uid: r.cp.podUid, pid: r.shim.pid }));
  }

  private checkProcesses(): void {
    for (const [uid, rt] of this.runtimes) if (this.refreshExit(rt)) this.runner.enqueue(uid);
  }

  /** true when the process was running and has now ended. */
  private refreshExit(rt: Runtime): boolean {
    if (rt.state.kind !== 'running') return false;
    const files = podFiles(this.o.stateDir, rt.cp.podUid);
    const code = readExitCode(files.exitFile);
    if (code === undefined && shimAlive(rt.shim)) return false;
    const base = { kind: 'exited' as const, startedAt: rt.state.startedAt, finishedAt: new Date(), containerID: rt.state.containerID };
    if (code !== undefined) rt.state = { ...base, exitCode: code, ...(code !== 0 ? { message: lastLogLine(files.log) } : {}) };
    else if (rt.killed) rt.state = { ...base, exitCode: 137, message: 'killed after the termination grace period' };
    else rt.state = { ...base, exitCode: 137, reason: 'ContainerStatusUnknown', message: 'the process ended without leaving an exit status' };
    return true;
  }

  private async reconcile(uid: string): Promise<void> {
    const pod = this.pods.get(uid);
    const rt = this.runtimes.get(uid);
    if (rt) this.refreshExit(rt);
    if (!pod) return this.forget(uid, rt);
    const log = this.o.logger.child({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, podUid: uid });
    if (pod.metadata.labels?.[Labels.app] !== LabelValues.launcher) {
      if (!this.ignored.has(uid)) log.info({}, `not a launcher pod (label ${Labels.app}=${LabelValues.launcher}); the node agent runs nothing else, so it stays Pending`);
      this.ignored.add(uid);
      return;
    }
    if (pod.metadata.deletionTimestamp) return this.terminatePod(pod, rt, log);
    if (!rt) {
      if (isTerminalPhase(pod.status?.phase)) return;
      if (pod.status?.phase === 'Running') {
        return this.postStatus(pod, failedToStartStatus(pod, { reason: 'ContainerStatusUnknown', message: 'the node agent lost track of this pod (no checkpoint)' }, this.o.hostIP, new Date()), log);
      }
      const started = await this.start(pod, log);
      if (!started) return;
      return this.reconcile(uid);
    }
    await this.postStatus(pod, podStatusFor(pod, rt.state, this.o.hostIP), log);
    if (rt.state.kind === 'exited') this.o.devices.release(uid);
  }

  private async start(pod: Pod, log: AgentLogger): Promise<boolean> {
    const uid = pod.metadata.uid;
    const fail = async (reason: string, message: string): Promise<false> => {
      this.o.devices.release(uid);
      log.warn({ reason, message }, 'pod cannot run');
      await this.postStatus(pod, failedToStartStatus(pod, { reason, message }, this.o.hostIP, new Date()), log);
      return false;
    };
    const container = pod.spec.containers[0];
    if (!container || pod.spec.containers.length !== 1) return fail('CreateContainerConfigError', `the qvirt node agent runs pods with exactly one container; this one has ${pod.spec.containers.length}`);
    let allocations;
    try {
      const requests = deviceRequests(container.resources, isExtendedResource);
      allocations = await this.o.devices.allocate(uid, requests);
    } catch (err) {
      if (!(err instanceof DeviceAdmissionError || err instanceof PluginCallError)) throw err;
      const waitMs = this.o.pluginWaitMs ?? 30_000;
      if (err instanceof DeviceAdmissionError && !this.o.devices.isServed(err.resourceName) && Date.now() - this.startedAt < waitMs) {
        log.info({ resource: err.resourceName }, 'waiting for the device plugin to register');
        this.runner.enqueue(uid, 1000);
        return false;
      }
      return fail('UnexpectedAdmissionError', err.message);
    }
    const missing = allocations.flatMap((a) => a.response.devices.map((d) => d.host_path)).filter((p) => !existsSync(p));
    if (missing.length > 0) return fail('RunContainerError', `device plugin answered device paths that do not exist on this host: ${missing.join(', ')}`);
    let env: Record<string, string>;
    let argv: string[];
    try {
      env = containerEnv(pod, container, { base: this.o.baseEnv, hostIP: this.o.hostIP, deviceEnvs: allocations.map((a) => a.response.envs) });
      argv = containerArgv(container, env);
    } catch (err) {
      if (!(err instanceof PodConfigError)) throw err;
      return fail('CreateContainerConfigError', err.message);
    }
    const files = podFiles(this.o.stateDir, uid);
    await mkdir(files.dir, { recursive: true });
    await writeFile(files.allocation, JSON.stringify(allocations, null, 2));
    const shim = spawnShim({ argv, env, cwd: container.workingDir ?? '/', logPath: files.log, exitFile: files.exitFile });
    const startedAt = new Date();
    const cp: PodCheckpoint = {
      podUid: uid,
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      shimPid: shim.pid,
      shimStartTime: shim.startTime,
      startedAt: startedAt.toISOString(),
      containerID: `${CONTAINER_ID_PREFIX}${uid}`,
      argv,
      devices: Object.fromEntries(allocations.map((a) => [a.resourceName, a.deviceIds])),
    };
    await writeCheckpoint(this.o.stateDir, cp);
    this.runtimes.set(uid, { cp, shim, state: { kind: 'running', startedAt, containerID: cp.containerID } });
    shim.child?.once('exit', () => this.runner.enqueue(uid));
    log.info({ pid: shim.pid, argv, devices: cp.devices, log: files.log }, 'pod process started');
    return true;
  }

  /** Deletion requested: SIGTERM, SIGKILL after the grace period, final status, then the object goes (grace 0). */
  private async terminatePod(pod: Pod, rt: Runtime | undefined, log: AgentLogger): Promise<void> {
    if (rt && rt.state.kind === 'running') {
      const now = Date.now();
      if (rt.killAt === undefined) {
        const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
        rt.killAt = now + grace * 1000;
        log.info({ graceSeconds: grace }, 'pod deleted: SIGTERM');
        terminate(rt.shim);
        this.runner.enqueue(pod.metadata.uid, grace * 1000 + 50);
      } else if (now >= rt.killAt && !rt.killed) {
        log.warn({}, 'grace period over: SIGKILL to the process group');
        rt.killed = true;
        killGroup(rt.shim);
        this.runner.enqueue(pod.metadata.uid, 200);
      }
      return;
    }
    if (rt) {
      await this.postStatus(pod, podStatusFor(pod, rt.state, this.o.hostIP), log);
      this.o.devices.release(pod.metadata.uid);
    }
    try {
      await this.o.client.delete(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      log.info({}, 'pod object deleted (grace 0)');
    } catch (err) {
      if (!isNotFound(err) && !(err instanceof Error && /HTTP 409/.test(err.message))) throw err;
    }
  }

  /** The pod object is gone: a process still running is killed at once (a force delete), state dropped. */
  private async forget(uid: string, rt: Runtime | undefined): Promise<void> {
    this.ignored.delete(uid);
    if (!rt) return;
    if (rt.state.kind === 'running') {
      this.o.logger.warn({ podUid: uid }, 'pod object gone while its process runs: SIGKILL');
      rt.killed = true;
      killGroup(rt.shim);
      this.runner.enqueue(uid, 200);
      return;
    }
    this.o.devices.release(uid);
    this.runtimes.delete(uid);
    await removePodState(this.o.stateDir, rt.cp);
  }

  private async postStatus(pod: Pod, desired: PodStatus, log: AgentLogger): Promise<void> {
    if (!statusDiffers(pod.status, desired)) return;
    try {
      const updated = await this.o.client.patch<Pod>(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { metadata: { uid: pod.metadata.uid }, status: desired }, 'merge');
      if (this.pods.has(pod.metadata.uid)) this.pods.set(pod.metadata.uid, updated);
      log.info({ phase: desired.phase, reason: desired.reason }, 'pod status posted');
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}
