/** The part of a Validating/MutatingWebhookConfiguration document this module rewrites. */
export interface WebhookConfigurationDoc {
  kind?: string;
  metadata?: { name?: string };
  webhooks?: {
    name: string;
    clientConfig: { service?: { name: string; namespace: string; port?: number; path?: string }; url?: string; caBundle?: string };
    [key: string]: unknown;
  }[];
  [key: string]: unknown;
}

export class WebhookClientConfigError extends Error {
  override name = 'WebhookClientConfigError';
}

/**
 * The same webhook configuration pointing at `baseUrl` instead of the in-cluster Service:
 * each webhook's `service.path` is appended to `baseUrl` (e.g. `https://127.0.0.1:8443`),
 * and `caBundlePem` becomes the caBundle. For virt-api outside a cluster (tests, local stack);
 * the input is not modified.
 */
export function withUrlClientConfig<T extends WebhookConfigurationDoc>(config: T, baseUrl: string, caBundlePem: string): T {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new WebhookClientConfigError(`baseUrl ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (base.protocol !== 'https:') throw new WebhookClientConfigError(`baseUrl ${baseUrl}: webhooks must use https`);
  const origin = baseUrl.replace(/\/+$/, '');
  const copy = structuredClone(config);
  for (const w of copy.webhooks ?? []) {
    const path = w.clientConfig.service?.path;
    if (path === undefined)
      throw new WebhookClientConfigError(`webhook ${w.name} in ${config.metadata?.name ?? config.kind}: clientConfig.service.path is missing`);
    w.clientConfig = { url: `${origin}${path}`, caBundle: Buffer.from(caBundlePem, 'utf8').toString('base64') };
  }
  return copy;
}
