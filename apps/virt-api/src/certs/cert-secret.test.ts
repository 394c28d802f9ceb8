import { X509Certificate } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { mergeCaBundle, rotationNeed } from './cert-bundle.js';
import { ensureCertSecret, SecretRaceError, type SecretClient, type SecretLike } from './cert-secret.js';

const logger = pino({ level: 'silent' });
const identity = { dnsNames: ['virt-api.kubevirt.svc', 'virt-api.kubevirt.svc.cluster.local'], ipAddresses: ['127.0.0.1'] };
const DAY = 24 * 3600 * 1000;

/** An in-memory Secret store with resourceVersions, and a hook to lose one race on purpose. */
function memorySecrets(): SecretClient & { stored?: SecretLike; writes: number; beforeWrite?: () => void } {
  let rv = 0;
  const store: SecretClient & { stored?: SecretLike; writes: number; beforeWrite?: () => void } = {
    writes: 0,
    async read() {
      return store.stored && structuredClone(store.stored);
    },
    async create(_ns, secret) {
      store.beforeWrite?.();
      if (store.stored) throw new SecretRaceError('exists');
      store.writes++;
      store.stored = { ...structuredClone(secret), metadata: { ...secret.metadata, resourceVersion: String(++rv) } };
      return store.stored;
    },
    async replace(_ns, _name, secret) {
      store.beforeWrite?.();
      if (secret.metadata?.resourceVersion !== store.stored?.metadata?.resourceVersion) throw new SecretRaceError('conflict');
      store.writes++;
      store.stored = { ...structuredClone(secret), metadata: { ...secret.metadata, resourceVersion: String(++rv) } };
      return store.stored;
    },
  };
  return store;
}

const opts = (secrets: SecretClient, now?: () => Date) => ({
  secrets,
  namespace: 'kubevirt',
  name: 'kubevirt-virt-api-certs',
  identity,
  caValidityDays: 7,
  certValidityDays: 1,
  logger,
  ...(now ? { now } : {}),
});

describe('ensureCertSecret', () => {
  it('creates a CA + serving cert for the service names, then reuses them', async () => {
    const secrets = memorySecrets();
    const first = await ensureCertSecret(opts(secrets));
    expect(secrets.writes).toBe(1);
    const cert = new X509Certificate(first.tlsCertPem);
    expect(cert.checkHost('virt-api.kubevirt.svc')).toBe('virt-api.kubevirt.svc');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.verify(new X509Certificate(first.caCertPem).publicKey)).toBe(true);
    expect(Object.keys(secrets.stored!.data!).sort()).toEqual(['ca-bundle.crt', 'ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    const again = await ensureCertSecret(opts(secrets));
    expect(again).toEqual(first);
    expect(secrets.writes).toBe(1);
  });

  it('renews the serving cert within 20% of its lifetime, keeping the CA', async () => {
    const secrets = memorySecrets();
    const first = await ensureCertSecret(opts(secrets));
    // 1-day cert: 20% = 4.8 h before expiry.
    const later = () => new Date(Date.now() + 0.85 * DAY);
    expect(rotationNeed(first, identity, later())).toMatchObject({ kind: 'cert' });
    const renewed = await ensureCertSecret(opts(secrets, later));
    expect(renewed.caCertPem).toBe(first.caCertPem);
    expect(renewed.tlsCertPem).not.toBe(first.tlsCertPem);
    expect(secrets.writes).toBe(2);
  });

  it('renews the CA near its expiry and keeps the old CA in the bundle while it is valid', async () => {
    const secrets = memorySecrets();
    const first = await ensureCertSecret(opts(secrets));
    const later = () => new Date(Date.now() + 6 * DAY); // 7-day CA, 1.4 days left
    const renewed = await ensureCertSecret(opts(secrets, later));
    expect(renewed.caCertPem).not.toBe(first.caCertPem);
    expect(renewed.caBundlePem).toContain(renewed.caCertPem.trim());
    expect(renewed.caBundlePem).toContain(first.caCertPem.trim());
    // once the old CA has expired it leaves the bundle
    expect(mergeCaBundle(renewed.caCertPem, renewed.caBundlePem, new Date(Date.now() + 8 * DAY))).not.toContain(first.caCertPem.trim());
  });

  it('renews when the identity changes (a SAN missing)', async () => {
    const secrets = memorySecrets();
    const first = await ensureCertSecret(opts(secrets));
    expect(rotationNeed(first, { dnsNames: ['other.svc'], ipAddresses: [] }, new Date())).toEqual({
      kind: 'cert',
      reason: 'the serving certificate does not name other.svc',
    });
  });

  it('reuses the winner when another replica creates the Secret first', async () => {
    const secrets = memorySecrets();
    const winner = await ensureCertSecret(opts(memorySecrets()));
    let raced = false;
    secrets.beforeWrite = () => {
      if (raced) return;
      raced = true;
      secrets.stored = {
        metadata: { name: 'kubevirt-virt-api-certs', resourceVersion: '99' },
        data: {
          'ca.crt': Buffer.from(winner.caCertPem).toString('base64'),
          'ca.key': Buffer.from(winner.caKeyPem).toString('base64'),
          'ca-bundle.crt': Buffer.from(winner.caBundlePem).toString('base64'),
          'tls.crt': Buffer.from(winner.tlsCertPem).toString('base64'),
          'tls.key': Buffer.from(winner.tlsKeyPem).toString('base64'),
        },
      };
    };
    const got = await ensureCertSecret(opts(secrets));
    expect(got.tlsCertPem).toBe(winner.tlsCertPem);
    expect(secrets.writes).toBe(0);
  });
});
