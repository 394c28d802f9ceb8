import { KubeClient, loadKubeConfig } from '@qvirt/kube';
import { pino } from 'pino';
import { validationRules } from '@qvirt/admission';
import { errFields } from '@qvirt/log';
import { kubeSecretClient, kubeWebhookConfigurationClient } from '../certs/kube-clients.js';
import { parseServeOptions, SERVE_USAGE, ServeOptionsError } from '../config.js';
import { startServe } from '../server/serve.js';

/**
 * `virt-api serve`: parse flags once, build logger and clients, start, stop gracefully on
 * SIGTERM/SIGINT. Resolves with the exit code once stopped.
 */
export async function runServeCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  let options;
  try {
    options = parseServeOptions(argv, env);
  } catch (err) {
    if (err instanceof ServeOptionsError) {
      process.stderr.write(`${err.message}\n${SERVE_USAGE}\n`);
      return 2;
    }
    throw err;
  }
  // Keys and tokens never reach the logs: redact the obvious fields should anything carry them.
  const logger = pino({ name: 'virt-api', level: options.logLevel, redact: ['*.keyPem', '*.tlsKeyPem', '*.caKeyPem', '*.token', 'req.headers.authorization'] });
  const kubeConfig = loadKubeConfig({ kubeconfigPath: options.kubeconfig });
  // One connection pool for the informers and the certificate writes.
  const client = new KubeClient({ kubeConfig });
  const running = await startServe({
    options,
    logger,
    rules: validationRules,
    kube: { kubeConfig, client },
    secrets: kubeSecretClient(client),
    webhookConfigurations: kubeWebhookConfigurationClient(client),
  });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => {
        logger.error('shutdown took longer than 20 s; exiting');
        resolve(1);
      }, 20_000);
      force.unref();
      running
        .stop()
        .then(() => client.close())
        .then(
          () => {
            clearTimeout(force);
            logger.info('stopped');
            resolve(0);
          },
          (err: Error) => {
            logger.error(errFields(err), 'shutdown failed');
            resolve(1);
          },
        );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}
