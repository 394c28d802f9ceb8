import { isIP } from 'node:net';
import * as x509 from './x509.js';
import type { CertificateAuthority } from './ca.js';
import { nodeCrypto } from './crypto-provider.js';
import { PkiInputError } from './errors.js';
import { generateKeyPair, importPrivateKeyPem, keyParams, privateKeyToPem, type KeyAlgorithm } from './key-pair.js';
import { randomSerial, requireName, validityWindow } from './validity.js';

export type CertUsage = 'server' | 'client';

export interface IssueCertOptions {
  ca: CertificateAuthority;
  commonName: string;
  /** Subject O= entries; for Kubernetes client certs these are the user's groups (e.g. system:masters). */
  organization?: string | string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: CertUsage;
  validityDays: number;
  /** Default ecdsa-p256. */
  keyAlgorithm?: KeyAlgorithm;
}

export interface IssuedCert {
  certPem: string;
  keyPem: string;
}

const DNS_NAME = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** Issues a leaf certificate signed by `ca`, with SANs and the serverAuth or clientAuth EKU. */
export async function issueCert(opts: IssueCertOptions): Promise<IssuedCert> {
  const commonName = requireName(opts.commonName, 'commonName');
  const { notBefore, notAfter } = validityWindow(opts.validityDays);
  if (opts.usage !== 'server' && opts.usage !== 'client') {
    throw new PkiInputError('usage', `must be 'server' or 'client', got ${JSON.stringify(opts.usage)}`);
  }
  const sans = subjectAltNames(opts.dnsNames ?? [], opts.ipAddresses ?? []);
  if (opts.usage === 'server' && sans.length === 0) {
    throw new PkiInputError('dnsNames', 'a server certificate needs at least one DNS name or IP address (Go TLS clients ignore the CN)');
  }
  const caCert = parseCaCert(opts.ca.certPem);
  const { key: caKey, algorithm: caAlgorithm } = await importPrivateKeyPem(opts.ca.keyPem, 'ca.keyPem');
  const algorithm = opts.keyAlgorithm ?? 'ecdsa-p256';
  const keys = await generateKeyPair(algorithm);

  let keyUsage = x509.KeyUsageFlags.digitalSignature;
  if (algorithm === 'rsa-2048') keyUsage |= x509.KeyUsageFlags.keyEncipherment;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(keyUsage, true),
    new x509.ExtendedKeyUsageExtension([opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, nodeCrypto),
    await authorityKeyId(caCert),
  ];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));

  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: [{ CN: [commonName] }, ...organizations(opts.organization).map((o) => ({ O: [o] }))],
      issuer: caCert.subjectName,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: keyParams(caAlgorithm),
      extensions,
    },
    nodeCrypto,
  );
  // A CA whose key does not belong to its certificate would issue certs nobody can verify.
  if (!(await cert.verify({ publicKey: caCert.publicKey, signatureOnly: true }, nodeCrypto))) {
    throw new PkiInputError('ca.keyPem', 'the CA private key does not match ca.certPem');
  }
  return { certPem: cert.toString('pem'), keyPem: await privateKeyToPem(keys.privateKey) };
}

function subjectAltNames(dnsNames: string[], ipAddresses: string[]): x509.JsonGeneralName[] {
  const names: x509.JsonGeneralName[] = [];
  dnsNames.forEach((name, i) => {
    if (!DNS_NAME.test(name)) throw new PkiInputError(`dnsNames[${i}]`, `${JSON.stringify(name)} is not a valid DNS name`);
    names.push({ type: 'dns', value: name });
  });
  ipAddresses.forEach((ip, i) => {
    if (isIP(ip) === 0) throw new PkiInputError(`ipAddresses[${i}]`, `${JSON.stringify(ip)} is not an IPv4 or IPv6 address`);
    names.push({ type: 'ip', value: ip });
  });
  return names;
}

function organizations(org: string | string[] | undefined): string[] {
  const list = org === undefined ? [] : Array.isArray(org) ? org : [org];
  list.forEach((o, i) => requireName(o, `organization[${i}]`));
  return list;
}

function parseCaCert(pem: string): x509.X509Certificate {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(pem);
  } catch (err) {
    throw new PkiInputError('ca.certPem', `not a PEM certificate (${(err as Error).message})`);
  }
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca) throw new PkiInputError('ca.certPem', `${cert.subject} is not a CA certificate (basicConstraints CA:true missing)`);
  return cert;
}

async function authorityKeyId(caCert: x509.X509Certificate): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId);
  return x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, nodeCrypto);
}
