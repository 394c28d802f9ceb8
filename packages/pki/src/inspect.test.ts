import { describe, expect, it } from 'vitest';
import { createCA } from './ca.js';
import { certExpiry } from './inspect.js';

describe('certExpiry', () => {
  it('returns notAfter, validityDays after now', async () => {
    const before = Date.now();
    const ca = await createCA({ commonName: 'exp', validityDays: 10 });
    const expiry = certExpiry(ca.certPem).getTime();
    const tenDays = 10 * 24 * 3600 * 1000;
    // X.509 times have one-second resolution.
    expect(expiry).toBeGreaterThanOrEqual(before + tenDays - 1000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + tenDays);
  });

  it('reads the first certificate of a bundle', async () => {
    const a = await createCA({ commonName: 'a', validityDays: 1 });
    const b = await createCA({ commonName: 'b', validityDays: 100 });
    expect(certExpiry(a.certPem + b.certPem).getTime()).toBe(certExpiry(a.certPem).getTime());
  });

  it('names the field when the input is not a certificate', () => {
    expect(() => certExpiry('hello')).toThrow(/^pem: not a PEM certificate/);
  });
});
