import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import type { TlsMaterial } from '@qvirt/admission';
import { errFields } from '@qvirt/log';

export class TlsFilesError extends Error {
  override name = 'TlsFilesError';
}

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** Reads a cert/key pair and checks the key belongs to the certificate (a half-written pair fails here). */
export async function readTlsFiles(files: TlsFiles): Promise<TlsMaterial> {
  let certPem: string;
  let keyPem: string;
  try {
    [certPem, keyPem] = await Promise.all([readFile(files.certFile, 'utf8'), readFile(files.keyFile, 'utf8')]);
  } catch (err) {
    throw new TlsFilesError(`cannot read TLS files ${files.certFile} / ${files.keyFile}: ${(err as Error).message}`);
  }
  try {
    createSecureContext({ cert: certPem, key: keyPem });
  } catch (err) {
    throw new TlsFilesError(`TLS files ${files.certFile} / ${files.keyFile} are not a matching PEM cert and key: ${(err as Error).message}`);
  }
  return { certPem, keyPem };
}

export interface TlsReloaderOptions extends TlsFiles {
  logger: Logger;
  /** The pair currently served, so the first check does not reload it again. */
  current: TlsMaterial;
  apply: (tls: TlsMaterial) => void;
  /** Polling, not fs.watch: Secret volumes swap a symlinked directory, which inotify on the files misses. Default 2 s. */
  intervalMs?: number;
}

/** Serves new connections with the cert/key files' new content once both change into a valid pair. */
export class TlsReloader {
  private current: TlsMaterial;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<boolean> | undefined;
  private lastError = '';

  constructor(private readonly opts: TlsReloaderOptions) {
    this.current = opts.current;
  }

  start(): void {
    this.timer = setInterval(() => void this.checkNow(), this.opts.intervalMs ?? 2000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Re-reads the files now; true when a new pair was applied. */
  checkNow(): Promise<boolean> {
    this.checking ??= this.check().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async check(): Promise<boolean> {
    let next: TlsMaterial;
    try {
      next = await readTlsFiles(this.opts);
    } catch (err) {
      // Keep serving the old pair; log each distinct problem once, not every tick.
      const message = (err as Error).message;
      if (message !== this.lastError) this.opts.logger.warn(errFields(err), 'keeping the current certificate');
      this.lastError = message;
      return false;
    }
    this.lastError = '';
    if (next.certPem === this.current.certPem && next.keyPem === this.current.keyPem) return false;
    this.opts.apply(next);
    this.current = next;
    this.opts.logger.info({ certFile: this.opts.certFile }, 'serving certificate reloaded');
    return true;
  }
}
