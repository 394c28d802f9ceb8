import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { caBundlePatch, syncCaBundles, type WebhookConfigurationClient, type WebhookConfigurationLike } from './ca-bundle-sync.js';

const config = (bundles: (string | undefined)[]): WebhookConfigurationLike => ({
  metadata: { name: 'virt-api-validator' },
  webhooks: bundles.map((b, i) => ({ name: `w${i}.kubevirt.io`, clientConfig: b === undefined ? {} : { caBundle: b } })),
});

describe('caBundlePatch', () => {
  it('patches only the webhooks whose caBundle differs, guarded by a test of the name', () => {
    expect(caBundlePatch(config([undefined, 'NEW', 'OLD']), 'NEW')).toEqual([
      { op: 'test', path: '/webhooks/0/name', value: 'w0.kubevirt.io' },
      { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: 'NEW' },
      { op: 'test', path: '/webhooks/2/name', value: 'w2.kubevirt.io' },
      { op: 'add', path: '/webhooks/2/clientConfig/caBundle', value: 'NEW' },
    ]);
    expect(caBundlePatch(config(['NEW']), 'NEW')).toEqual([]);
  });
});

describe('syncCaBundles', () => {
  it('patches each configuration that differs and skips a missing one', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n';
    const b64 = Buffer.from(pem).toString('base64');
    const patches: [string, string, readonly object[]][] = [];
    const client: WebhookConfigurationClient = {
      async read(kind) {
        return kind === 'validating' ? config(['stale', b64]) : undefined;
      },
      async jsonPatch(kind, name, ops) {
        patches.push([kind, name, ops]);
      },
    };
    const n = await syncCaBundles({
      client,
      validating: 'virt-api-validator',
      mutating: 'virt-api-mutator',
      caBundlePem: pem,
      logger: pino({ level: 'silent' }),
    });
    expect(n).toBe(1);
    expect(patches).toEqual([['validating', 'virt-api-validator', caBundlePatch(config(['stale', b64]), b64)]]);
  });
});
