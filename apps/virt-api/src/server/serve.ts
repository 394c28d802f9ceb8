import { type KubeClient, type KubeConfigLike } from '@qvirt/kube';
import { ClusterConfigSource } from '@qvirt/kube/cluster-config';
import type { Logger } from 'pino';
import { createApiMetrics, createWebhookServer, webhookAdmitters, type AdmissionRules } from '@qvirt/admission';
import { errFields } from '@qvirt/log';
import type { WebhookConfigurationClient } from '../certs/ca-bundle-sync.js';
import type { SecretClient } from '../certs/cert-secret.js';
import { SelfSignedCerts } from '../certs/self-signed-certs.js';
import type { ServeOptions } from '../config.js';
import { readTlsFiles, TlsReloader, type TlsFiles } from './tls-reloader.js';

/** Everything `serve` needs from outside, built by main.ts. */
export interface ServeDeps {
  options: Readonly<ServeOptions>;
  logger: Logger;
  rules: AdmissionRules;
  /** Where the cluster configuration (kubevirt-config, KubeVirt CR) is watched. */
  kube: { kubeConfig: KubeConfigLike; client: KubeClient };
  /** Only for --self-signed-secret. */
  secrets?: SecretClient;
  webhookConfigurations?: WebhookConfigurationClient;
}

export interface RunningServe {
  port: number;
  /** Graceful: not ready, stop informers and loops, finish in-flight requests, close. */
  stop(): Promise<void>;
}

/** Starts virt-api's server mode; resolves once HTTPS is listening (readiness follows the informers). */
export async function startServe(deps: ServeDeps): Promise<RunningServe> {
  const { options, logger } = deps;
  let selfSigned: SelfSignedCerts | undefined;
  let files: TlsFiles;
  // Assigned once the TLS files exist; selfSigned's callback may run (and find none) before that.
  // eslint-disable-next-line prefer-const
  let reloader: TlsReloader | undefined;
  if (options.certs.kind === 'selfSigned') {
    if (!deps.secrets || !deps.webhookConfigurations) throw new Error('startServe: --self-signed-secret needs the secrets and webhookConfigurations clients');
    selfSigned = new SelfSignedCerts({
      mode: options.certs,
      secrets: deps.secrets,
      webhooks: deps.webhookConfigurations,
      validatingWebhookConfiguration: options.validatingWebhookConfiguration,
      mutatingWebhookConfiguration: options.mutatingWebhookConfiguration,
      logger: logger.child({ component: 'certs' }),
      intervalMs: options.certCheckIntervalMs,
      onFilesChanged: () => reloader?.checkNow() ?? Promise.resolve(),
    });
    await selfSigned.reconcile();
    files = selfSigned.files;
  } else {
    files = { certFile: options.certs.certFile, keyFile: options.certs.keyFile };
  }
  const tls = await readTlsFiles(files);

  // Until it has synced, the webhooks answer 503 (judging with an empty config would deny QAT VMIs).
  const configSource = new ClusterConfigSource({
    ...deps.kube,
    namespace: options.configNamespace,
    logger: logger.child({ component: 'cluster-config' }),
  });

  const server = await createWebhookServer({
    logger,
    tls,
    admitters: webhookAdmitters(deps.rules),
    clusterConfig: configSource,
    metrics: createApiMetrics(),
    bodyLimitBytes: options.bodyLimitBytes,
    readinessChecks: selfSigned ? { certificates: () => selfSigned.hasCerts() } : {},
  });
  reloader = new TlsReloader({ ...files, logger, current: tls, apply: (t) => server.setTls(t) });
  reloader.start();
  selfSigned?.start();
  // Informers retry on their own until the first list succeeds; /readyz reports it.
  configSource.start().catch((err: unknown) => logger.error(errFields(err), 'cluster config informers failed to start'));

  const port = await server.listen(options.host, options.port);
  logger.info({ host: options.host, port, certFile: files.certFile }, 'virt-api serving');
  return {
    port,
    async stop() {
      server.markShuttingDown();
      reloader?.stop();
      selfSigned?.stop();
      await configSource.stop();
      await server.close();
    },
  };
}
