import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCA } from './ca.js';
import { PkiInputError } from './errors.js';

describe('createCA', () => {
  it('creates a self-signed CA certificate with CA:true and the requested subject', async () => {
    const ca = await createCA({ commonName: 'qvirt-test-ca', validityDays: 30 });
    const cert = new X509Certificate(ca.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe('CN=qvirt-test-ca');
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(cert.publicKey.asymmetricKeyType).toBe('ec');
  });

  it('can use RSA 2048', async () => {
    const ca = await createCA({ commonName: 'rsa-ca', validityDays: 1, keyAlgorithm: 'rsa-2048' });
    const key = new X509Certificate(ca.certPem).publicKey;
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('refuses an empty common name and a non-positive validity', async () => {
    await expect(createCA({ commonName: ' ', validityDays: 1 })).rejects.toThrow(PkiInputError);
    await expect(createCA({ commonName: 'x', validityDays: 0 })).rejects.toThrow(/validityDays: must be a positive number of days, got 0/);
  });
});
