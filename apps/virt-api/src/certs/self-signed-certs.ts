import type { Logger } from 'pino';
import { errFields } from '@qvirt/log';
import type { CertMode } from '../config.js';
import { syncCaBundles, type WebhookConfigurationClient } from './ca-bundle-sync.js';
import type { CertBundle } from './cert-bundle.js';
import { certFilePaths, writeCertFiles, type CertFilePaths } from './cert-files.js';
import { ensureCertSecret, type SecretClient } from './cert-secret.js';

export interface SelfSignedCertsOptions {
  mode: Extract<CertMode, { kind: 'selfSigned' }>;
  secrets: SecretClient;
  webhooks: WebhookConfigurationClient;
  validatingWebhookConfiguration: string;
  mutatingWebhookConfiguration: string;
  logger: Logger;
  intervalMs: number;
  /** Called after new files were written (the TLS reloader picks them up at once). */
  onFilesChanged?: () => Promise<unknown>;
}

/**
 * In-cluster certificates without cert-manager (KubeVirt's operator does the same): keeps the
 * Secret's CA + serving cert valid, the cert files current and both webhook configurations'
 * caBundle equal to the Secret's CA bundle. Every step is idempotent and re-run periodically.
 */
export class SelfSignedCerts {
  readonly files: CertFilePaths;
  private timer: NodeJS.Timeout | undefined;
  private bundle: CertBundle | undefined;
  private running: Promise<CertBundle> | undefined;

  constructor(private readonly opts: SelfSignedCertsOptions) {
    this.files = certFilePaths(opts.mode.certDir);
  }

  /** One pass: ensure Secret, write files, sync caBundles. Throws when the Secret cannot be ensured. */
  reconcile(): Promise<CertBundle> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.reconcile().catch((err: unknown) => this.opts.logger.error(errFields(err), 'certificate reconcile failed; retrying'));
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  hasCerts(): boolean {
    return this.bundle !== undefined;
  }

  private async pass(): Promise<CertBundle> {
    const { mode, logger } = this.opts;
    const bundle = await ensureCertSecret({
      secrets: this.opts.secrets,
      namespace: mode.secretNamespace,
      name: mode.secretName,
      identity: { dnsNames: mode.dnsNames, ipAddresses: mode.ipAddresses },
      caValidityDays: mode.caValidityDays,
      certValidityDays: mode.certValidityDays,
      logger,
    });
    this.bundle = bundle;
    if (await writeCertFiles(mode.certDir, { certPem: bundle.tlsCertPem, keyPem: bundle.tlsKeyPem })) {
      logger.info({ certFile: this.files.certFile }, 'serving certificate written');
      await this.opts.onFilesChanged?.();
    }
    try {
      await syncCaBundles({
        client: this.opts.webhooks,
        validating: this.opts.validatingWebhookConfiguration,
        mutating: this.opts.mutatingWebhookConfiguration,
        caBundlePem: bundle.caBundlePem,
        logger,
      });
    } catch (err) {
      // Serving must not wait for this; the next pass retries.
      logger.error(errFields(err), 'caBundle sync failed');
    }
    return bundle;
  }
}
