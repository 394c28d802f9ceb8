import { PemConverter, X509Certificate } from './x509.js';
import { PkiInputError } from './errors.js';

/** The notAfter instant of a PEM certificate (the first one, if it is a bundle). */
export function certExpiry(pem: string): Date {
  try {
    return new X509Certificate(PemConverter.decodeFirst(pem)).notAfter;
  } catch (err) {
    throw new PkiInputError('pem', `not a PEM certificate (${(err as Error).message})`);
  }
}
