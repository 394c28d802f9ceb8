import { nodeCrypto } from './crypto-provider.js';
import * as x509 from './x509.js';
import { generateKeyPair, keyParams, privateKeyToPem, type KeyAlgorithm } from './key-pair.js';
import { randomSerial, requireName, validityWindow } from './validity.js';

/** A certificate authority as two PEM strings, so it can be stored (e.g. in a Secret) and loaded again. */
export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

export interface CreateCAOptions {
  commonName: string;
  validityDays: number;
  /** Default ecdsa-p256. */
  keyAlgorithm?: KeyAlgorithm;
}

/** Creates a self-signed root CA (basicConstraints CA:true, keyCertSign + cRLSign). */
export async function createCA(opts: CreateCAOptions): Promise<CertificateAuthority> {
  const commonName = requireName(opts.commonName, 'commonName');
  const { notBefore, notAfter } = validityWindow(opts.validityDays);
  const algorithm = opts.keyAlgorithm ?? 'ecdsa-p256';
  const keys = await generateKeyPair(algorithm);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: [{ CN: [commonName] }],
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: keyParams(algorithm),
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, nodeCrypto),
      ],
    },
    nodeCrypto,
  );
  return { certPem: cert.toString('pem'), keyPem: await privateKeyToPem(keys.privateKey) };
}
