import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { withUrlClientConfig, WebhookClientConfigError, type WebhookConfigurationDoc } from './webhook-client-config.js';

const manifest = new URL('../../../../deploy/base/virt-api/webhooks.yaml', import.meta.url);
const load = (): WebhookConfigurationDoc[] => parseAllDocuments(readFileSync(manifest, 'utf8')).map((d) => d.toJS() as WebhookConfigurationDoc);

describe('withUrlClientConfig', () => {
  it('replaces every service reference of the deploy manifests with url + caBundle', () => {
    const [validator, mutator] = load();
    const out = withUrlClientConfig(validator!, 'https://127.0.0.1:9443/', 'PEM');
    expect(out.webhooks!.map((w) => w.clientConfig)).toEqual([
      { url: 'https://127.0.0.1:9443/virtualmachineinstances-validate-create', caBundle: Buffer.from('PEM').toString('base64') },
      { url: 'https://127.0.0.1:9443/virtualmachineinstances-validate-update', caBundle: Buffer.from('PEM').toString('base64') },
      { url: 'https://127.0.0.1:9443/virtualmachines-validate', caBundle: Buffer.from('PEM').toString('base64') },
    ]);
    // everything else is kept, the input is untouched
    expect(out.webhooks![0]!['failurePolicy']).toBe('Fail');
    expect(validator!.webhooks![0]!.clientConfig.service?.name).toBe('virt-api');
    expect(withUrlClientConfig(mutator!, 'https://127.0.0.1:9443', 'PEM').webhooks!.map((w) => w.clientConfig.url)).toEqual([
      'https://127.0.0.1:9443/virtualmachineinstances-mutate',
      'https://127.0.0.1:9443/virtualmachines-mutate',
    ]);
  });

  it('rejects plain http and webhooks without a path', () => {
    const [validator] = load();
    expect(() => withUrlClientConfig(validator!, 'http://127.0.0.1:1', 'PEM')).toThrow(/must use https/);
    expect(() => withUrlClientConfig(validator!, 'not a url', 'PEM')).toThrow(WebhookClientConfigError);
    const noPath = structuredClone(validator!);
    delete noPath.webhooks![1]!.clientConfig.service!.path;
    expect(() => withUrlClientConfig(noPath, 'https://x', 'PEM')).toThrow(/virtualmachineinstances-update-validator.kubevirt.io .*path is missing/);
  });
});
