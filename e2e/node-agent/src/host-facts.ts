// What the node reports about its host (kernel, OS, ids, size), read once at start.
import { readFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import type { NodeFacts } from './node-object.js';

export async function hostFacts(o: { name: string; hostIP: string; kubeletVersion: string; cpu?: number | undefined; memoryBytes?: number | undefined; maxPods: number }): Promise<NodeFacts> {
  const read = (p: string): Promise<string> => readFile(p, 'utf8').then((s) => s.trim(), () => '');
  const osRelease = await read('/etc/os-release');
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? 'Linux';
  return {
    name: o.name,
    cpu: o.cpu ?? cpus().length,
    memoryBytes: o.memoryBytes ?? totalmem(),
    maxPods: o.maxPods,
    hostIP: o.hostIP,
    kernelVersion: release(),
    osImage: pretty,
    bootID: await read('/proc/sys/kernel/random/boot_id'),
    machineID: (await read('/etc/machine-id')) || (await read('/var/lib/dbus/machine-id')),
    kubeletVersion: o.kubeletVersion,
  };
}
