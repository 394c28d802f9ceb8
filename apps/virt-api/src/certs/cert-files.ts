import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CertFilePaths {
  certFile: string;
  keyFile: string;
}

export function certFilePaths(dir: string): CertFilePaths {
  return { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

/** Writes the pair atomically (temp file + rename), the key 0600; true when anything changed. */
export async function writeCertFiles(dir: string, pair: { certPem: string; keyPem: string }): Promise<boolean> {
  const paths = certFilePaths(dir);
  if ((await readOrEmpty(paths.certFile)) === pair.certPem && (await readOrEmpty(paths.keyFile)) === pair.keyPem) return false;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const [path, content, mode] of [
    [paths.keyFile, pair.keyPem, 0o600],
    [paths.certFile, pair.certPem, 0o644],
  ] as const) {
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, content, { mode });
    await rename(tmp, path);
  }
  return true;
}
