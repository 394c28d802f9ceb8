import type { Logger } from 'pino';
import type { JsonPatchOperation } from '@qvirt/validation';

export interface WebhookConfigurationLike {
  metadata?: { name?: string };
  webhooks?: { name: string; clientConfig: { caBundle?: string } }[];
}

export type WebhookConfigurationKind = 'validating' | 'mutating';

/** The webhook configuration operations the caBundle sync needs. */
export interface WebhookConfigurationClient {
  read(kind: WebhookConfigurationKind, name: string): Promise<WebhookConfigurationLike | undefined>;
  jsonPatch(kind: WebhookConfigurationKind, name: string, ops: readonly JsonPatchOperation[]): Promise<void>;
}

/**
 * The JSON patch that sets every webhook's caBundle to `caBundleB64`, with a `test` of the webhook
 * name per entry so a concurrent edit that reorders webhooks fails instead of patching the wrong one.
 * Empty when all are current.
 */
export function caBundlePatch(config: WebhookConfigurationLike, caBundleB64: string): JsonPatchOperation[] {
  const ops: JsonPatchOperation[] = [];
  (config.webhooks ?? []).forEach((w, i) => {
    if (w.clientConfig.caBundle === caBundleB64) return;
    ops.push({ op: 'test', path: `/webhooks/${i}/name`, value: w.name });
    ops.push({ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value: caBundleB64 });
  });
  return ops;
}

export interface SyncCaBundleOptions {
  client: WebhookConfigurationClient;
  validating: string;
  mutating: string;
  caBundlePem: string;
  logger: Logger;
}

/** Patches the caBundle of both webhook configurations where it differs; returns how many were patched. A missing configuration is logged and skipped. */
export async function syncCaBundles(opts: SyncCaBundleOptions): Promise<number> {
  const b64 = Buffer.from(opts.caBundlePem, 'utf8').toString('base64');
  let patched = 0;
  for (const [kind, name] of [
    ['validating', opts.validating],
    ['mutating', opts.mutating],
  ] as const) {
    const config = await opts.client.read(kind, name);
    if (config === undefined) {
      opts.logger.warn(`${kind} webhook configuration ${name} not found; its caBundle will be set once it exists`);
      continue;
    }
    const ops = caBundlePatch(config, b64);
    if (ops.length === 0) continue;
    await opts.client.jsonPatch(kind, name, ops);
    opts.logger.info({ webhookConfiguration: name, webhooks: ops.length / 2 }, 'caBundle updated');
    patched++;
  }
  return patched;
}
