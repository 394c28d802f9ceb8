import { randomBytes } from 'node:crypto';
import type { KubeObject } from './object.js';
import type { KubeClient } from './kube-client.js';
import { errFields, type Logger } from '@qvirt/log';
import { microTime } from './lease.js';
import { ResourcePaths } from './resource-paths.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  client: KubeClient;
  /** source.component / reportingController, e.g. `virtualmachine-controller`. */
  component: string;
  /** reportingInstance, e.g. the pod name. */
  instance?: string;
  logger: Logger;
  /** Identical events within this window bump `count` instead of creating a new Event. Default 10 min. */
  aggregateWindowMs?: number;
}

interface Recorded {
  name: string;
  namespace: string;
  count: number;
  at: number;
}

/**
 * core/v1 Events for objects, like client-go's recorder: fire-and-forget (a
 * failing event must not fail a reconcile), repeated identical events are
 * folded into one Event with a growing count.
 */
export class EventRecorder {
  private readonly recent = new Map<string, Recorded>();
  private readonly window: number;

  constructor(private readonly opts: EventRecorderOptions) {
    this.window = opts.aggregateWindowMs ?? 600_000;
  }

  event(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    return this.record(obj, type, reason, message).catch((err: unknown) => {
      this.opts.logger.warn({ reason, object: `${obj.metadata?.namespace}/${obj.metadata?.name}`, ...errFields(err) }, 'recording an event failed');
    });
  }

  private async record(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = obj.metadata?.namespace ?? 'default';
    const key = [obj.metadata?.uid, type, reason, message].join('\u0000');
    const now = new Date();
    const prev = this.recent.get(key);
    if (prev && now.getTime() - prev.at < this.window) {
      prev.count++;
      prev.at = now.getTime();
      await this.opts.client.patch(ResourcePaths.events(prev.namespace, prev.name), {
        count: prev.count,
        lastTimestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
      return;
    }
    const name = `${obj.metadata?.name ?? 'unknown'}.${randomBytes(8).toString('hex')}`;
    const seconds = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    await this.opts.client.create(ResourcePaths.events(namespace), {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata?.name,
        namespace: obj.metadata?.namespace,
        uid: obj.metadata?.uid,
        resourceVersion: obj.metadata?.resourceVersion,
      },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: seconds,
      lastTimestamp: seconds,
      eventTime: microTime(now),
      source: { component: this.opts.component },
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.instance ?? this.opts.component,
      action: reason,
    });
    this.recent.set(key, { name, namespace, count: 1, at: now.getTime() });
    if (this.recent.size > 4096) this.recent.delete(this.recent.keys().next().value!);
  }
}
