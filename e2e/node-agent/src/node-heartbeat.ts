// Registers the Node and keeps it alive: status (capacity, Ready) on every device change and every
// interval, and the node Lease in kube-node-lease that the node lifecycle controller watches.
import { isAlreadyExists, isNotFound, type KubeClient } from '@qvirt/kube';
import type { ResourceCounts } from './device-manager.js';
import { errMessage, type AgentLogger } from './logger.js';
import { nodeLabels, renderLease, renderNode, renderNodeStatus, type NodeCondition, type NodeFacts, type NodeObject } from './node-object.js';

export interface NodeHeartbeatOptions {
  readonly client: KubeClient;
  readonly facts: NodeFacts;
  readonly logger: AgentLogger;
  readonly devices: () => ReadonlyMap<string, ResourceCounts>;
  /** Default 10 s (the kubelet's nodeStatusUpdateFrequency / lease renew interval). */
  readonly intervalMs?: number;
  /** Default 40 s (the kubelet's nodeLeaseDurationSeconds). */
  readonly leaseDurationSeconds?: number;
}

interface Lease {
  metadata: { resourceVersion?: string };
  spec: Record<string, unknown>;
}

export class NodeHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private conditions: NodeCondition[] | undefined;
  private nodeUid: string | undefined;
  private posting: Promise<void> = Promise.resolve();

  constructor(private readonly o: NodeHeartbeatOptions) {}

  private get nodePath(): string {
    return `/api/v1/nodes/${this.o.facts.name}`;
  }

  /** Creates the Node (or relabels an existing one), posts status, takes the lease, then beats. */
  async start(): Promise<void> {
    const node = await this.ensureNode();
    this.nodeUid = (node.metadata as { uid?: string }).uid;
    this.conditions = node.status?.conditions;
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.o.intervalMs ?? 10_000);
  }

  /** Device counts changed: post soon (coalesced). */
  devicesChanged(): void {
    if (this.pending || !this.timer) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.posting = this.posting.then(() => this.postStatus()).catch((err: unknown) => this.o.logger.warn({ err: errMessage(err) }, 'node status update failed'));
    }, 100);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
    this.timer = undefined;
  }

  private async ensureNode(): Promise<NodeObject> {
    try {
      return await this.o.client.create<NodeObject>('/api/v1/nodes', renderNode(this.o.facts));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    this.o.logger.info({ node: this.o.facts.name }, 'node exists; taking it over');
    return this.o.client.patch<NodeObject>(this.nodePath, { metadata: { labels: nodeLabels(this.o.facts.name), annotations: renderNode(this.o.facts).metadata.annotations } }, 'merge');
  }

  private async beat(): Promise<void> {
    this.posting = this.posting.then(async () => {
      try {
        await this.postStatus();
        await this.renewLease();
      } catch (err) {
        this.o.logger.warn({ err: errMessage(err) }, 'node heartbeat failed; retrying next interval');
      }
    });
    return this.posting;
  }

  private async postStatus(): Promise<void> {
    const status = renderNodeStatus(this.o.facts, this.o.devices(), this.conditions, new Date());
    const node = await this.o.client.patch<NodeObject>(`${this.nodePath}/status`, { status }, 'merge');
    this.conditions = node.status?.conditions;
  }

  private async renewLease(): Promise<void> {
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${this.o.facts.name}`;
    const desired = renderLease(this.o.facts.name, this.nodeUid, this.o.leaseDurationSeconds ?? 40, new Date()) as unknown as Lease;
    let current: Lease | undefined;
    try {
      current = await this.o.client.get<Lease>(path);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (!current) {
      await this.o.client.create('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', desired);
      return;
    }
    await this.o.client.replace(path, { ...desired, metadata: { ...(desired.metadata as object), resourceVersion: current.metadata.resourceVersion } });
  }
}
