import { webcrypto } from 'node:crypto';
import type * as x509 from './x509.js';

/** The Web Crypto provider handed to @peculiar/x509 explicitly (no global provider state). */
export type X509Crypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;
export const nodeCrypto = webcrypto as unknown as X509Crypto;
