// One node's stand-in for the kubelet: Node + heartbeat, kubelet.sock for device plugins, and the
// launcher pods bound to this node run as host processes. Wires the parts; main.ts builds it.
import { createInformer, KubeClient, type KubeConfigLike, type ResilientInformer } from '@qvirt/kube';
import { DeviceManager, type ResourceCounts } from './device-manager.js';
import { hostFacts } from './host-facts.js';
import type { AgentLogger } from './logger.js';
import { NodeHeartbeat } from './node-heartbeat.js';
import type { Pod } from './pod.js';
import { PodWorker } from './pod-worker.js';
import { RegistrationServer } from './registration.server.js';

export interface NodeAgentOptions {
  readonly kubeConfig: KubeConfigLike;
  readonly nodeName: string;
  readonly devicePluginDir: string;
  readonly stateDir: string;
  readonly logger: AgentLogger;
  /** Environment pod processes start from (PATH that finds virt-launcher, HOME). */
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly hostIP?: string;
  readonly statusIntervalMs?: number;
  readonly pluginWaitMs?: number;
  readonly cpu?: number | undefined;
  readonly memoryBytes?: number | undefined;
  readonly maxPods?: number;
}

export class NodeAgent {
  private readonly client: KubeClient;
  private readonly devices: DeviceManager;
  private readonly registration: RegistrationServer;
  private readonly pods: PodWorker;
  private heartbeat: NodeHeartbeat | undefined;
  private informer: ResilientInformer<Pod & { metadata: { name: string } }> | undefined;

  constructor(private readonly o: NodeAgentOptions) {
    this.client = new KubeClient({ kubeConfig: o.kubeConfig });
    this.devices = new DeviceManager({ pluginDir: o.devicePluginDir, logger: o.logger.child({ part: 'devicemanager' }), onChange: () => this.heartbeat?.devicesChanged() });
    this.registration = new RegistrationServer({ pluginDir: o.devicePluginDir, onRegister: (req) => this.devices.register(req) });
    this.pods = new PodWorker({
      client: this.client,
      devices: this.devices,
      logger: o.logger.child({ part: 'pods' }),
      stateDir: o.stateDir,
      hostIP: o.hostIP ?? '127.0.0.1',
      baseEnv: o.baseEnv,
      ...(o.pluginWaitMs !== undefined ? { pluginWaitMs: o.pluginWaitMs } : {}),
    });
  }

  async start(): Promise<void> {
    await this.pods.restore();
    await this.registration.start();
    const version = await this.client.get<{ gitVersion?: string }>('/version').then((v) => v.gitVersion ?? 'v0.0.0', () => 'v0.0.0');
    const facts = await hostFacts({
      name: this.o.nodeName,
      hostIP: this.o.hostIP ?? '127.0.0.1',
      kubeletVersion: version,
      cpu: this.o.cpu,
      memoryBytes: this.o.memoryBytes,
      maxPods: this.o.maxPods ?? 110,
    });
    this.heartbeat = new NodeHeartbeat({
      client: this.client,
      facts,
      logger: this.o.logger.child({ part: 'node' }),
      devices: () => this.devices.counts(),
      ...(this.o.statusIntervalMs !== undefined ? { intervalMs: this.o.statusIntervalMs } : {}),
    });
    await this.heartbeat.start();
    const informer = createInformer<Pod & { metadata: { name: string } }>({
      kubeConfig: this.o.kubeConfig,
      client: this.client,
      apiPath: '/api/v1/pods',
      fieldSelector: `spec.nodeName=${this.o.nodeName}`,
      logger: this.o.logger.child({ part: 'pod-informer' }),
    });
    informer.on('add', (p) => this.pods.podChanged(p));
    informer.on('update', (p) => this.pods.podChanged(p));
    informer.on('delete', (p) => this.pods.podDeleted(p));
    this.informer = informer;
    await informer.start();
    this.pods.resyncAll();
    this.o.logger.info({ node: this.o.nodeName, kubeletSocket: this.registration.socketPath }, 'node agent ready');
  }

  deviceCounts(): ReadonlyMap<string, ResourceCounts> {
    return this.devices.counts();
  }

  runningPods(): { uid: string; pid: number }[] {
    return this.pods.runningPods();
  }

  /** Stops the agent; pod processes keep running and are adopted by the next agent (like a kubelet restart). */
  async stop(): Promise<void> {
    this.pods.stop();
    this.heartbeat?.stop();
    await this.informer?.stop();
    this.devices.close();
    await this.registration.stop();
    await this.client.close();
  }
}
