// Composition root: config -> logger/clients -> informers -> leader election -> controllers.
// SIGTERM/SIGINT: stop the workers, release the lease, stop informers, exit 0.
// Leadership lost: exit 1 so the Deployment restarts us as a clean standby (client-go's practice).
import { pino } from 'pino';
import { KubeClient, KubeConfigError, loadKubeConfig, startMetricsServer, type KubeConfigLike } from '@qvirt/kube';
import { errFields } from '@qvirt/log';
import { LeaderElector } from '@qvirt/kube/controller';
import { ControllerConfigError, parseControllerConfig, type ControllerConfig } from './config.js';
import { ControllerManager } from './controller-manager.js';
import { createControllerMetrics } from './metrics.js';

let config: Readonly<ControllerConfig>;
let kubeConfig: KubeConfigLike;
try {
  config = parseControllerConfig(process.argv.slice(2), process.env);
  kubeConfig = loadKubeConfig({ kubeconfigPath: config.kubeconfig });
} catch (err) {
  process.stderr.write(`virt-controller: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ControllerConfigError || err instanceof KubeConfigError ? 2 : 1);
}

const logger = pino({ level: config.logLevel, base: { component: 'virt-controller', identity: config.identity } });
const client = new KubeClient({ kubeConfig });
// The metrics read the VMI cache that the manager owns; the manager reports into the metrics.
const cache: { manager?: ControllerManager } = {};
const metrics = createControllerMetrics({ listVmis: () => cache.manager?.vmis.list() ?? [] });
const mgr = new ControllerManager({
  kubeConfig,
  client,
  logger,
  metrics,
  launcher: { launcherImage: config.launcherImage, kvmMode: config.kvmMode, vfioSysResource: config.vfioSysResource, runDir: config.runDir },
  vmiWorkers: config.vmiWorkers,
  vmWorkers: config.vmWorkers,
  instance: config.identity,
});
cache.manager = mgr;

let synced = false;
let leading = false;
const shutdown = new AbortController();
const metricsServer =
  config.metricsPort > 0
    ? await startMetricsServer({
        registry: metrics.registry,
        port: config.metricsPort,
        address: config.metricsAddress,
        ...(config.metricsTlsCert && config.metricsTlsKey ? { tls: { certFile: config.metricsTlsCert, keyFile: config.metricsTlsKey } } : {}),
        ready: () => synced,
        notReadyMessage: 'informers not synced',
        // Handy for probes and tests: which replica leads.
        probes: { '/leader': { check: () => leading, ok: 'leader', failing: 'standby' } },
      })
    : undefined;
if (metricsServer) logger.info({ port: metricsServer.port, tls: Boolean(config.metricsTlsCert) }, 'metrics server listening');

let stopping = false;
async function stop(code: number, why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ why }, 'shutting down');
  shutdown.abort();
  await Promise.race([Promise.all([running, mgr.stopInformers(), metricsServer?.close(), client.close()]), new Promise((r) => setTimeout(r, 10_000).unref())]);
  process.exit(code);
}
process.on('SIGTERM', () => void stop(0, 'SIGTERM'));
process.on('SIGINT', () => void stop(0, 'SIGINT'));

logger.info({ leaderElect: config.leaderElect, kvmMode: config.kvmMode, launcherImage: config.launcherImage }, 'starting informers');
await mgr.startInformers();
synced = true;
logger.info('informers synced');

let running: Promise<unknown> = Promise.resolve();
if (!config.leaderElect) {
  leading = true;
  metrics.setLeading(true);
  running = mgr.runControllers(shutdown.signal);
} else {
  const elector = new LeaderElector({
    client,
    namespace: config.leaseNamespace,
    name: config.leaseName,
    identity: config.identity,
    logger,
    leaseDurationMs: config.leaseDurationMs,
    renewDeadlineMs: config.renewDeadlineMs,
    retryPeriodMs: config.retryPeriodMs,
    onStartedLeading: (signal) => {
      leading = true;
      metrics.setLeading(true);
      return mgr.runControllers(signal);
    },
    onStoppedLeading: () => {
      leading = false;
      metrics.setLeading(false);
    },
    onNewLeader: (id) => logger.info({ leader: id }, 'leader observed'),
  });
  running = elector.run(shutdown.signal).then(
    (outcome) => {
      if (outcome === 'lost') {
        logger.error('leader lease lost; exiting so a fresh standby takes its place');
        void stop(1, 'leadership lost');
      }
    },
    (err: unknown) => {
      logger.error(errFields(err), 'leader election failed');
      void stop(1, 'leader election failed');
    },
  );
}
