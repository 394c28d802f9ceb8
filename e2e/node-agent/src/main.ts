#!/usr/bin/env node
// qvirt-node-agent: stands in for the kubelet of ONE node in the local stack (no kubelet, no
// container runtime here). Composition root: the only place that reads argv and env.
import { loadKubeConfig } from '@qvirt/kube';
import { pino } from 'pino';
import { AgentConfigError, parseAgentConfig, type AgentConfig } from './config.js';
import { NodeAgent } from './node-agent.js';

let config: AgentConfig;
try {
  config = parseAgentConfig(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`qvirt-node-agent: ${(err as Error).message}\n`);
  process.exit(err instanceof AgentConfigError ? 2 : 1);
}

const logger = pino({ level: config.logLevel, base: { component: 'qvirt-node-agent', node: config.nodeName } });
const PATH = [...config.binPaths, process.env['PATH'] ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'].join(':');
const agent = new NodeAgent({
  kubeConfig: loadKubeConfig({ kubeconfigPath: config.kubeconfig }),
  nodeName: config.nodeName,
  devicePluginDir: config.devicePluginDir,
  stateDir: config.stateDir,
  logger,
  baseEnv: { PATH, HOME: process.env['HOME'] ?? '/root', ...(process.env['LANG'] ? { LANG: process.env['LANG'] } : {}) },
  hostIP: config.hostIP,
  statusIntervalMs: config.statusIntervalMs,
  cpu: config.cpu,
  memoryBytes: config.memoryBytes,
  maxPods: config.maxPods,
});

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping; pod processes keep running for the next agent to adopt');
  void agent.stop().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

try {
  await agent.start();
} catch (err) {
  logger.fatal({ err: (err as Error).message, stack: (err as Error).stack }, 'node agent failed to start');
  process.exit(1);
}
