import { webcrypto } from 'node:crypto';
import { PemConverter } from './x509.js';
import { PkiInputError } from './errors.js';

export type KeyAlgorithm = 'ecdsa-p256' | 'rsa-2048';

type WebCryptoKey = webcrypto.CryptoKey;
type WebCryptoKeyPair = webcrypto.CryptoKeyPair;

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) } as const;

/** Web Crypto parameters for generating, importing and signing with a key algorithm. */
export function keyParams(algorithm: KeyAlgorithm): typeof ECDSA | typeof RSA {
  return algorithm === 'ecdsa-p256' ? ECDSA : RSA;
}

export async function generateKeyPair(algorithm: KeyAlgorithm): Promise<WebCryptoKeyPair> {
  return webcrypto.subtle.generateKey(keyParams(algorithm), true, ['sign', 'verify']) as Promise<WebCryptoKeyPair>;
}

/** PKCS#8 PEM ("PRIVATE KEY"), which Go's TLS stack, etcd and kube-apiserver all read. */
export async function privateKeyToPem(key: WebCryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return PemConverter.encode(der, 'PRIVATE KEY');
}

/** Imports a PKCS#8 PEM private key, detecting whether it is ECDSA P-256 or RSA. */
export async function importPrivateKeyPem(pem: string, field: string): Promise<{ key: WebCryptoKey; algorithm: KeyAlgorithm }> {
  let der: ArrayBuffer;
  try {
    const [block] = PemConverter.decodeWithHeaders(pem);
    if (!block || block.type !== 'PRIVATE KEY') throw new Error(`expected a "PRIVATE KEY" (PKCS#8) PEM block, got ${block ? `"${block.type}"` : 'none'}`);
    der = block.rawData;
  } catch (err) {
    throw new PkiInputError(field, `not a PKCS#8 PEM private key (${(err as Error).message})`);
  }
  for (const algorithm of ['ecdsa-p256', 'rsa-2048'] as const) {
    try {
      const key = await webcrypto.subtle.importKey('pkcs8', der, keyParams(algorithm), true, ['sign']);
      return { key, algorithm };
    } catch {
      // Not this algorithm: try the next one.
    }
  }
  throw new PkiInputError(field, 'private key is neither ECDSA P-256 nor RSA');
}
