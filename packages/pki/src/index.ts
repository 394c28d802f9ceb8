export { createCA, type CertificateAuthority, type CreateCAOptions } from './ca.js';
export { issueCert, type CertUsage, type IssueCertOptions, type IssuedCert } from './issue.js';
export { certExpiry } from './inspect.js';
export { PkiInputError } from './errors.js';
export type { KeyAlgorithm } from './key-pair.js';
