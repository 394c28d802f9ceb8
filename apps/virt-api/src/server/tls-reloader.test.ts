import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCA, issueCert } from '@qvirt/pki';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { writeCertFiles } from '../certs/cert-files.js';
import { readTlsFiles, TlsFilesError, TlsReloader } from './tls-reloader.js';

const dir = useTempDir('virt-api-tls-');

describe('TlsReloader', () => {
  it('applies a new valid pair once, and ignores a mismatched half-written pair', async () => {
    const ca = await createCA({ commonName: 'ca', validityDays: 1 });
    const a = await issueCert({ ca, commonName: 'a', dnsNames: ['a'], usage: 'server', validityDays: 1 });
    const b = await issueCert({ ca, commonName: 'b', dnsNames: ['b'], usage: 'server', validityDays: 1 });
    expect(await writeCertFiles(dir(), a)).toBe(true);
    expect(await writeCertFiles(dir(), a)).toBe(false);
    const files = { certFile: join(dir(), 'tls.crt'), keyFile: join(dir(), 'tls.key') };
    const applied: string[] = [];
    const reloader = new TlsReloader({
      ...files,
      logger: pino({ level: 'silent' }),
      current: await readTlsFiles(files),
      apply: (t) => applied.push(t.certPem),
    });
    expect(await reloader.checkNow()).toBe(false);
    await writeFile(files.certFile, b.certPem); // key still a's
    expect(await reloader.checkNow()).toBe(false);
    await expect(readTlsFiles(files)).rejects.toThrow(TlsFilesError);
    await writeFile(files.keyFile, b.keyPem);
    expect(await reloader.checkNow()).toBe(true);
    expect(applied).toEqual([b.certPem]);
    expect(await reloader.checkNow()).toBe(false);
  });
});
