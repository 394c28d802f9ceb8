// Brings up the stack's real node: the network namespace, containerd, the images built here,
// the kubelet and kube-proxy: the same kubelet users run.
import { existsSync } from 'node:fs';
import { mkdir, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeClient } from '@qvirt/kube';
import { buildFakeQatHost } from '@qvirt/qat/testing';
import { httpGet } from '@qvirt/testenv';
import { eventually } from '@qvirt/testing';
import { nodeReady } from '../kube-waits.js';
import type { StackLayout } from '../stack-layout.js';
import { isAlive, startStackProcess, type StartedProcess } from '../stack-process.js';
import { step, type StepPrinter } from '../steps.js';
import { readSysctls } from './host-sysctls.js';
import { KUBE_PROXY_HEALTHZ_PORT, containerdConfig, cniConfig, kubeletConfig, kubeProxyConfig } from './node-configs.js';
import { writeNodeCredentials } from './node-credentials.js';
import { inNodeNetns, nodeNetworkUp, type NodeNetwork } from './node-network.js';
import type { NodePaths } from './node-paths.js';
import { mustRun, run } from './run-command.js';

export interface NodeStartInput {
  readonly layout: StackLayout;
  readonly paths: NodePaths;
  readonly network: NodeNetwork;
  readonly nodeName: string;
  readonly out: StepPrinter;
  readonly admin: KubeClient;
  /** kube-bin's directory (kubelet, kube-proxy) and node-bin's (containerd, shim, ctr, crictl). */
  readonly kubeBin: string;
  readonly nodeBin: string;
  readonly server: string;
  readonly pkiDir: string;
  /** The simulated QAT host the handler is shown (no QAT hardware here). */
  readonly qatHost: Parameters<typeof buildFakeQatHost>[1];
}

/** Start order of the node's processes (pid files; `down` stops them in reverse). */
export const NODE_PROCESS_ORDER = { containerd: 5, kubelet: 6, 'kube-proxy': 7 } as const;
export type NodeProcessName = keyof typeof NODE_PROCESS_ORDER;

/** How a node process was started: enough to start it again (the disruption tests restart them). */
export interface NodeProcessSpec {
  readonly name: NodeProcessName;
  readonly argv: readonly string[];
  readonly pid: number;
}

/** This process's environment with node-bin first on PATH (containerd finds its shim there). */
const nodeEnv = (nodeBin: string): NodeJS.ProcessEnv => ({ ...process.env, PATH: `${nodeBin}:${process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` });

/** Starts (or restarts) one node process in the node's network namespace, node-bin first on PATH. */
export function startNodeProcess(o: {
  layout: StackLayout;
  paths: NodePaths;
  network: NodeNetwork;
  nodeBin: string;
  name: NodeProcessName;
  argv: readonly string[];
}): Promise<StartedProcess> {
  const [command, ...args] = inNodeNetns(o.network, o.argv);
  return startStackProcess({
    name: o.name,
    order: NODE_PROCESS_ORDER[o.name],
    command: command!,
    args,
    env: nodeEnv(o.nodeBin),
    logs: o.layout.logs,
    pids: o.layout.pids,
    cwd: o.paths.dir,
  });
}

// Stand-ins for the device numbers of a real QAT host: runc needs real device nodes to pass into
// a container. vfio's container device and /dev/kvm are the kernel's fixed misc minors; group
// nodes get a major nothing registers, so opening one fails (there is no IOMMU to back them).
const MISC_MAJOR = 10;
const DEVICE_NUMBERS: Record<string, [number, number]> = { 'vfio/vfio': [MISC_MAJOR, 196], kvm: [MISC_MAJOR, 232] };
const FAKE_VFIO_GROUP_MAJOR = 511;

/** The namespace and veth pair: first, since the apiserver binds to the host's end of the pair. */
export async function startNodeNetwork(out: StepPrinter, n: NodeNetwork): Promise<void> {
  await step(out, `node network: namespace ${n.netns}, node IP ${n.nodeIp}, pods ${n.podCidr}, Services ${n.serviceCidr}`, undefined, async () => {
    if (existsSync(`/run/netns/${n.netns}`)) throw new Error(`network namespace ${n.netns} exists already (an earlier stack?): run \`npm run down\` first`);
    for (const c of nodeNetworkUp(n)) await mustRun(c.argv);
  });
}

/** containerd, the images, the kubelet and kube-proxy, on a network from startNodeNetwork. */
export async function startNode(i: NodeStartInput): Promise<NodeProcessSpec[]> {
  const { layout: l, paths: p, network: n, out } = i;
  const env = nodeEnv(i.nodeBin);
  const started: NodeProcessSpec[] = [];
  const startInNetns = async (name: NodeProcessName, argv: string[]) => {
    const proc = await startNodeProcess({ layout: l, paths: p, network: n, nodeBin: i.nodeBin, name, argv });
    started.push({ name, argv, pid: proc.pid });
    return proc;
  };

  await step(out, 'node files: configs, certificates, shared run directory, simulated QAT host', undefined, async () => {
    await mkdir(p.dir, { recursive: true });
    await mkdir(p.cniConfDir, { recursive: true });
    await mkdir(p.volumePluginDir, { recursive: true });
    await writeFile(p.savedSysctls, JSON.stringify(await readSysctls(), null, 2));
    const cniBinDir = '/usr/lib/cni';
    const runc = (await mustRun(['sh', '-c', 'command -v runc'])).trim();
    await writeFile(p.containerdConfig, containerdConfig(p, { runc, cniBinDir }));
    await writeFile(join(p.cniConfDir, '10-qvirt-pods.conflist'), JSON.stringify(cniConfig(p, n), null, 2));
    await writeFile(p.kubeletConfig, JSON.stringify(kubeletConfig(p, { caFile: join(i.pkiDir, 'ca.crt'), maxPods: 250 }), null, 2));
    await writeFile(p.kubeProxyConfig, JSON.stringify(kubeProxyConfig(p, n, i.nodeName), null, 2));
    await writeNodeCredentials({
      pkiDir: i.pkiDir,
      server: i.server,
      nodeName: i.nodeName,
      nodeIp: n.nodeIp,
      kubeletKubeconfig: p.kubeletKubeconfig,
      kubeletCert: p.kubeletCert,
      kubeletKey: p.kubeletKey,
      kubeProxyKubeconfig: p.kubeProxyKubeconfig,
    });
    await sharedRunDir(l.runDir);
    await rm(p.qatHost, { recursive: true, force: true });
    await buildFakeQatHost(p.qatHost, i.qatHost);
    await realDeviceNodes(join(p.qatHost, 'dev'));
  });

  await step(out, 'containerd', join(l.logs, 'containerd.log'), async () => {
    const proc = await startInNetns('containerd', [join(i.nodeBin, 'containerd'), '--config', p.containerdConfig]);
    await eventually(
      'containerd RuntimeReady',
      async () => {
        const r = await run([join(i.nodeBin, 'crictl'), '--runtime-endpoint', `unix://${p.containerdSocket}`, 'info'], { env, timeoutMs: 10_000 });
        if (r.code === 0 && /"RuntimeReady"[\s\S]*?"status": true/.test(r.stdout)) return true;
        throw new Error(`crictl info: ${r.stderr.trim() || 'runtime not ready'}`);
      },
      { timeoutMs: 60_000, intervalMs: 250, abort: () => (isAlive(proc.pid) ? undefined : 'containerd exited') },
    );
  });

  await step(out, 'import images into containerd (k8s.io namespace)', join(l.logs, 'images-import.log'), async () => {
    const r = await run(['bash', join(l.repo, 'scripts/images.sh'), 'import', '--address', p.containerdSocket], {
      env: { ...env, CTR: join(i.nodeBin, 'ctr') },
      timeoutMs: 600_000,
    });
    await writeFile(join(l.logs, 'images-import.log'), r.stdout + r.stderr);
    if (r.code !== 0) throw new Error(`scripts/images.sh import failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  });

  await step(out, `kubelet (node ${i.nodeName})`, join(l.logs, 'kubelet.log'), async () => {
    const proc = await startInNetns('kubelet', [
      join(i.kubeBin, 'kubelet'),
      `--config=${p.kubeletConfig}`,
      `--kubeconfig=${p.kubeletKubeconfig}`,
      `--root-dir=${p.kubeletRoot}`,
      `--node-ip=${n.nodeIp}`,
      `--hostname-override=${i.nodeName}`,
      '--v=1',
    ]);
    await eventually('Node Ready', nodeReady(i.admin, i.nodeName), {
      timeoutMs: 120_000,
      intervalMs: 250,
      abort: () => (isAlive(proc.pid) ? undefined : 'kubelet exited'),
    });
  });

  await step(out, 'kube-proxy (iptables mode)', join(l.logs, 'kube-proxy.log'), async () => {
    const proc = await startInNetns('kube-proxy', [join(i.kubeBin, 'kube-proxy'), `--config=${p.kubeProxyConfig}`, '--v=1']);
    await eventually(
      'kube-proxy /healthz',
      async () => {
        const r = await httpGet(`http://${n.nodeIp}:${KUBE_PROXY_HEALTHZ_PORT}/healthz`);
        if (r.status === 200) return true;
        throw new Error(`kube-proxy /healthz: HTTP ${r.status} ${r.body.slice(0, 200)}`);
      },
      { timeoutMs: 60_000, intervalMs: 500, abort: () => (isAlive(proc.pid) ? undefined : 'kube-proxy exited') },
    );
  });
  return started;
}

/**
 * The run directory the handler and launcher pods share, on a mount of its own made shared: the
 * handler's Bidirectional mount needs a shared mount, and this machine's / is private.
 */
async function sharedRunDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
  // /var/run is a link to /run: mountinfo holds the real path.
  const dir = await realpath(path);
  const r = await run(['findmnt', '-n', '-o', 'TARGET', '--mountpoint', dir]);
  if (r.stdout.trim() === '') await mustRun(['mount', '--bind', dir, dir]);
  await mustRun(['mount', '--make-shared', dir]);
}

/** Replaces the simulated host's plain-file device stand-ins by character devices. */
async function realDeviceNodes(devRoot: string): Promise<void> {
  const nodes = ['kvm', 'vfio/vfio', ...(await readdir(join(devRoot, 'vfio'))).filter((f) => f !== 'vfio').map((f) => `vfio/${f}`)];
  for (const rel of nodes) {
    const path = join(devRoot, rel);
    if (
      !(await stat(path).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      continue;
    const group = /^vfio\/(?:noiommu-)?(\d+)$/.exec(rel)?.[1];
    const [major, minor] = DEVICE_NUMBERS[rel] ?? [FAKE_VFIO_GROUP_MAJOR, Number(group ?? 0)];
    await rm(path);
    await mustRun(['mknod', '-m', '0666', path, 'c', String(major), String(minor)]);
  }
}
