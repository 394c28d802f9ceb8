import { X509Certificate } from 'node:crypto';

/** What the Secret holds: the CA (to sign renewals), the CA bundle the webhooks trust, the serving pair. */
export interface CertBundle {
  caCertPem: string;
  caKeyPem: string;
  /** The current CA plus any previous CA still valid, so replicas with an older serving cert stay trusted. */
  caBundlePem: string;
  tlsCertPem: string;
  tlsKeyPem: string;
}

export const SecretKeys = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  caBundle: 'ca-bundle.crt',
  tlsCert: 'tls.crt',
  tlsKey: 'tls.key',
} as const;

/** KubeVirt renews when less than 20% of a certificate's lifetime is left. */
export const RENEW_FRACTION = 0.2;

export type RotationNeed = { kind: 'none' } | { kind: 'cert' | 'ca'; reason: string };

export interface ServingIdentity {
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
}

/** Secret data (base64) -> bundle; undefined when any key is missing (treated as absent). */
export function bundleFromSecretData(data: Record<string, string> | undefined): CertBundle | undefined {
  const get = (k: string): string | undefined => {
    const v = data?.[k];
    return v === undefined || v === '' ? undefined : Buffer.from(v, 'base64').toString('utf8');
  };
  const caCertPem = get(SecretKeys.caCert);
  const caKeyPem = get(SecretKeys.caKey);
  const tlsCertPem = get(SecretKeys.tlsCert);
  const tlsKeyPem = get(SecretKeys.tlsKey);
  if (!caCertPem || !caKeyPem || !tlsCertPem || !tlsKeyPem) return undefined;
  return { caCertPem, caKeyPem, tlsCertPem, tlsKeyPem, caBundlePem: get(SecretKeys.caBundle) ?? caCertPem };
}

export function secretDataFromBundle(b: CertBundle): Record<string, string> {
  const enc = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  return {
    [SecretKeys.caCert]: enc(b.caCertPem),
    [SecretKeys.caKey]: enc(b.caKeyPem),
    [SecretKeys.caBundle]: enc(b.caBundlePem),
    [SecretKeys.tlsCert]: enc(b.tlsCertPem),
    [SecretKeys.tlsKey]: enc(b.tlsKeyPem),
  };
}

/** True when less than RENEW_FRACTION of the certificate's lifetime is left at `now`. */
export function inRenewWindow(cert: X509Certificate, now: Date): boolean {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return now.getTime() >= to - (to - from) * RENEW_FRACTION;
}

function parse(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** Whether the stored bundle can keep serving: CA first (a new CA means a new serving cert too). */
export function rotationNeed(b: CertBundle, identity: ServingIdentity, now: Date): RotationNeed {
  const ca = parse(b.caCertPem);
  if (!ca || !ca.ca) return { kind: 'ca', reason: 'the stored CA certificate is unreadable or not a CA' };
  if (inRenewWindow(ca, now)) return { kind: 'ca', reason: `the CA expires at ${ca.validTo}` };
  const cert = parse(b.tlsCertPem);
  if (!cert) return { kind: 'cert', reason: 'the stored serving certificate is unreadable' };
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return { kind: 'cert', reason: 'the serving certificate is not signed by the stored CA' };
  if (inRenewWindow(cert, now)) return { kind: 'cert', reason: `the serving certificate expires at ${cert.validTo}` };
  for (const dns of identity.dnsNames) {
    if (cert.checkHost(dns, { wildcards: false, subject: 'never' }) === undefined)
      return { kind: 'cert', reason: `the serving certificate does not name ${dns}` };
  }
  for (const ip of identity.ipAddresses) {
    if (cert.checkIP(ip) === undefined) return { kind: 'cert', reason: `the serving certificate does not name ${ip}` };
  }
  return { kind: 'none' };
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The new CA first, then every other CA from `previousBundle` not yet expired (deduplicated). */
export function mergeCaBundle(newCaPem: string, previousBundle: string | undefined, now: Date): string {
  const certs = [newCaPem.trim()];
  for (const pem of previousBundle?.match(PEM_CERT) ?? []) {
    const c = parse(pem);
    if (c && Date.parse(c.validTo) > now.getTime() && !certs.includes(pem.trim())) certs.push(pem.trim());
  }
  return `${certs.join('\n')}\n`;
}
