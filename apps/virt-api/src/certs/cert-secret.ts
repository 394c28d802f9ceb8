import { createCA, issueCert } from '@qvirt/pki';
import type { Logger } from 'pino';
import { bundleFromSecretData, mergeCaBundle, rotationNeed, secretDataFromBundle, type CertBundle, type ServingIdentity } from './cert-bundle.js';

export interface SecretLike {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  type?: string;
  data?: Record<string, string>;
}

/** The Secret operations the certificate manager needs; errors classified so races can be retried. */
export interface SecretClient {
  read(namespace: string, name: string): Promise<SecretLike | undefined>;
  /** Throws SecretRaceError when it exists already. */
  create(namespace: string, secret: SecretLike): Promise<SecretLike>;
  /** Throws SecretRaceError on a resourceVersion conflict. */
  replace(namespace: string, name: string, secret: SecretLike): Promise<SecretLike>;
}

/** Another replica wrote the Secret first: read it again. */
export class SecretRaceError extends Error {
  override name = 'SecretRaceError';
}

export class CertSecretError extends Error {
  override name = 'CertSecretError';
}

export interface EnsureCertSecretOptions {
  secrets: SecretClient;
  namespace: string;
  name: string;
  identity: ServingIdentity;
  caValidityDays: number;
  certValidityDays: number;
  logger: Logger;
  now?: () => Date;
}

const ATTEMPTS = 5;

/**
 * Create-or-reuse the CA + serving cert in the Secret (as KubeVirt's operator does): reuse while
 * more than 20% of each lifetime is left, otherwise renew (the serving cert, or the CA and the
 * cert). Safe with several replicas: a lost create/replace race re-reads and reuses the winner's.
 */
export async function ensureCertSecret(opts: EnsureCertSecretOptions): Promise<CertBundle> {
  const now = opts.now ?? (() => new Date());
  const log = opts.logger.child({ secret: `${opts.namespace}/${opts.name}` });
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const secret = await opts.secrets.read(opts.namespace, opts.name);
    const stored = bundleFromSecretData(secret?.data);
    const need = stored ? rotationNeed(stored, opts.identity, now()) : ({ kind: 'ca', reason: 'no certificates stored yet' } as const);
    if (stored && need.kind === 'none') return stored;
    log.info({ renew: need.kind }, `issuing new certificates: ${need.kind === 'none' ? '' : need.reason}`);
    const next = await issueBundle(opts, need.kind === 'cert' ? stored : undefined, stored?.caBundlePem, now());
    const body: SecretLike = {
      metadata: { name: opts.name, namespace: opts.namespace, labels: { 'app.kubernetes.io/managed-by': 'virt-api' } },
      type: 'Opaque',
      data: secretDataFromBundle(next),
    };
    try {
      if (secret === undefined) {
        await opts.secrets.create(opts.namespace, body);
      } else {
        body.metadata = { ...body.metadata, resourceVersion: secret.metadata?.resourceVersion };
        await opts.secrets.replace(opts.namespace, opts.name, body);
      }
      return next;
    } catch (err) {
      if (!(err instanceof SecretRaceError)) throw err;
      log.info(`another writer updated the Secret first, re-reading (attempt ${attempt})`);
    }
  }
  throw new CertSecretError(`Secret ${opts.namespace}/${opts.name}: gave up after ${ATTEMPTS} conflicting writes`);
}

async function issueBundle(opts: EnsureCertSecretOptions, keepCa: CertBundle | undefined, previousBundle: string | undefined, now: Date): Promise<CertBundle> {
  const ca = keepCa
    ? { certPem: keepCa.caCertPem, keyPem: keepCa.caKeyPem }
    : await createCA({ commonName: `virt-api-ca@${Math.floor(now.getTime() / 1000)}`, validityDays: opts.caValidityDays });
  const [commonName] = opts.identity.dnsNames;
  if (commonName === undefined) throw new CertSecretError('the serving identity needs at least one DNS name');
  const served = await issueCert({
    ca,
    commonName,
    dnsNames: [...opts.identity.dnsNames],
    ipAddresses: [...opts.identity.ipAddresses],
    usage: 'server',
    validityDays: opts.certValidityDays,
  });
  return {
    caCertPem: ca.certPem,
    caKeyPem: ca.keyPem,
    caBundlePem: mergeCaBundle(ca.certPem, previousBundle, now),
    tlsCertPem: served.certPem,
    tlsKeyPem: served.keyPem,
  };
}
