// `virt-handler run`: wires config -> clients -> node sync (device plugins, labels) and the VMI
// controller. Returns once everything is started; stop() undoes it without touching any VM.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { kvmDecision } from '@qvirt/domain';
import { sharedDiscovery } from '@qvirt/device-plugin';
import { discoverPciHostDevices } from '@qvirt/qat';
import { EventRecorder, KubeClient, isNotFound, loadKubeConfig, patchStatus, ResourcePaths, startMetricsServer, type MetricsServer } from '@qvirt/kube';
import { errFields, type Logger } from '@qvirt/log';
import { ClusterConfigSource } from '@qvirt/kube/cluster-config';
import type { VirtualMachineInstance } from '@qvirt/api';
import { createHandlerMetrics } from '../metrics.js';
import { DevicePluginManager } from '../node/device-plugin.manager.js';
import { NodeSync } from '../node/node-sync.js';
import type { RunCommand } from '../config.js';
import { libvirtLauncherConnector } from '../vmi/launcher-session.js';
import { VmiController } from '../vmi/vmi-controller.js';
import type { StatusWriter } from '../vmi/vmi.reconciler.js';

export interface RunIo {
  logger: Logger;
  /** /proc/cpuinfo text (KVM decision). */
  cpuinfo: string;
}

export interface RunningDaemon {
  metricsPort: number | undefined;
  stop(): Promise<void>;
}

export async function runDaemon(cmd: RunCommand, io: RunIo): Promise<RunningDaemon> {
  const { logger } = io;
  const kubeConfig = loadKubeConfig({ kubeconfigPath: cmd.kubeconfig });
  const client = new KubeClient({ kubeConfig });
  const kvm = kvmDecision({
    cpuinfo: io.cpuinfo,
    devKvmExists: existsSync(join(cmd.devRoot, 'kvm')),
    ...(cmd.kvm === 'on' ? { force: 'kvm' as const } : cmd.kvm === 'off' ? { force: 'qemu' as const } : {}),
  });
  logger.info(
    { kvm: kvm.kvm, why: kvm.reason, runDir: cmd.runDir, devicePluginDir: cmd.devicePluginDir, sysfsRoot: cmd.sysfsRoot, devRoot: cmd.devRoot },
    'virt-handler starting',
  );

  const metrics = createHandlerMetrics(cmd.nodeName);
  const clusterConfig = new ClusterConfigSource({ kubeConfig, client, logger });
  const discover = sharedDiscovery({ sysfsRoot: cmd.sysfsRoot, devRoot: cmd.devRoot });
  const discoverPci = (pciIds: readonly string[]) => discoverPciHostDevices({ sysfsRoot: cmd.sysfsRoot, devRoot: cmd.devRoot }, pciIds);
  const plugins = new DevicePluginManager({ pluginDir: cmd.devicePluginDir, devRoot: cmd.devRoot, discover, discoverPci, logger });
  const nodeSync = new NodeSync({
    nodeName: cmd.nodeName,
    client,
    discover,
    discoverPci,
    clusterConfig: () => clusterConfig.current(),
    plugins,
    logger,
    intervalMs: cmd.resyncSeconds * 1000,
    onDiscovery: (d) => metrics.setDiscovery(d),
  });
  // The configuration only refines the plugin plan: do not hold the VMIs back while it lists.
  clusterConfig.onChange(() => void nodeSync.trigger());
  void clusterConfig.start().catch((err: unknown) => logger.error(errFields(err), 'cluster configuration informers stopped'));
  await nodeSync.start();

  const events = new EventRecorder({ client, component: 'virt-handler', instance: cmd.nodeName, logger });
  const writeStatus: StatusWriter = async (vmi, build) => {
    try {
      return await patchStatus<VirtualMachineInstance>({
        client,
        path: ResourcePaths.vmis(vmi.metadata.namespace, vmi.metadata.name),
        current: vmi,
        build,
      });
    } catch (err) {
      if (!isNotFound(err)) throw err; // deleted meanwhile: nothing to report on
    }
  };
  let synced = false;
  const vmis = new VmiController({
    kubeConfig,
    client,
    nodeName: cmd.nodeName,
    runDir: cmd.runDir,
    connector: libvirtLauncherConnector({ logger }),
    writeStatus,
    kvm: kvm.kvm,
    logger,
    events,
    workers: cmd.workers,
    onReconciled: (ms, outcome) => metrics.observeSync(ms, outcome),
  });
  let server: MetricsServer | undefined;
  if (cmd.metricsPort > 0)
    server = await startMetricsServer({
      registry: metrics.registry,
      port: cmd.metricsPort,
      address: cmd.metricsAddress,
      ready: () => synced,
      notReadyMessage: 'not synced',
    });
  await vmis.start();
  synced = true;
  logger.info({ node: cmd.nodeName, metricsPort: server?.port, plugins: plugins.resources() }, 'virt-handler running');

  return {
    metricsPort: server?.port,
    async stop() {
      await vmis.stop();
      await nodeSync.stop();
      await plugins.stop();
      await clusterConfig.stop();
      await server?.close();
      await client.close();
    },
  };
}
