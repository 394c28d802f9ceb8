import { Finalizers, MAX_DEVICES, tryParseQuantity, type ClusterConfig } from '@qvirt/api';
import type { JsonPatchOperation } from './json-patch.js';
import { PatchBuilder } from './patch-builder.js';
import { DEFAULT_ARCHITECTURE } from './rules/architecture.rule.js';
import { isRecord, own } from './untrusted.js';

type Path = readonly (string | number)[];

/** The paths the defaults read and write, each made once (an array literal is a new array per call). */
const P = {
  vmiSpec: ['spec'],
  vmTemplateSpec: ['spec', 'template', 'spec'],
  metadata: ['metadata'],
  finalizers: ['finalizers'],
  gracePeriod: ['terminationGracePeriodSeconds'],
  architecture: ['architecture'],
  volumes: ['volumes'],
  domain: ['domain'],
  machineType: ['machine', 'type'],
  cpu: ['cpu'],
  limitsCpu: ['resources', 'limits', 'cpu'],
  requestsCpu: ['resources', 'requests', 'cpu'],
  guest: ['memory', 'guest'],
  requestsMemory: ['resources', 'requests', 'memory'],
  limitsMemory: ['resources', 'limits', 'memory'],
  acpi: ['features', 'acpi', 'enabled'],
  devices: ['devices'],
  disks: ['devices', 'disks'],
  disk: ['disk'],
  diskBus: ['disk', 'bus'],
  cdrom: ['cdrom'],
  cdromBus: ['cdrom', 'bus'],
} as const satisfies Record<string, Path>;

/** KubeVirt's default grace period for a VMI's shutdown. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/**
 * The defaults a mutating webhook adds to a new VMI, as an RFC 6902 patch against `vmi`.
 * Total on any input: values of the wrong type are left alone for validation to report.
 */
export function defaultVmi(vmi: unknown, config: ClusterConfig): JsonPatchOperation[] {
  return defaulted(vmi, P.vmiSpec, config, defaultVmiFinalizer);
}

/** The same defaults for a VM's template, at `/spec/template/spec`. */
export function defaultVm(vm: unknown, config: ClusterConfig): JsonPatchOperation[] {
  return defaulted(vm, P.vmTemplateSpec, config);
}

function defaulted(obj: unknown, specPath: Path, config: ClusterConfig, defaultMeta?: (b: PatchBuilder) => void): JsonPatchOperation[] {
  const builder = new PatchBuilder(obj);
  if (isRecord(obj)) {
    defaultMeta?.(builder);
    const spec = builder.at(specPath);
    if (spec !== undefined) defaultSpec(spec, config);
  }
  return builder.ops;
}

/**
 * KubeVirt's VMI mutator adds the foreground finalizer at create, so the controller does not
 * spend an extra PATCH on it (it still adds it to VMIs created while the webhook was bypassed).
 */
function defaultVmiFinalizer(b: PatchBuilder): void {
  const metadata = b.at(P.metadata);
  if (metadata === undefined) return;
  const current = metadata.get(P.finalizers);
  if (current === undefined || current === null) metadata.set(P.finalizers, [Finalizers.vmi]);
  else if (Array.isArray(current) && !current.includes(Finalizers.vmi)) metadata.set(P.finalizers, [...current, Finalizers.vmi]);
}

function defaultSpec(spec: PatchBuilder, config: ClusterConfig): void {
  defaultArchitecture(spec);
  if (spec.isUnset(P.gracePeriod)) spec.set(P.gracePeriod, DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  const domain = spec.at(P.domain);
  if (domain === undefined) return;
  defaultMachine(domain, config);
  defaultCpuTopology(domain);
  defaultMemory(domain);
  defaultFeatures(domain);
  defaultDevices(domain);
  defaultVolumeDisks(domain, spec.get(P.volumes));
}

/**
 * architecture: amd64 when absent or empty, as KubeVirt's mutator sets the cluster's default
 * architecture (for a VMI and a VM's template alike). Other values are validation's to refuse.
 */
function defaultArchitecture(spec: PatchBuilder): void {
  const arch = spec.get(P.architecture);
  if (arch === undefined || arch === null || arch === '') spec.set(P.architecture, DEFAULT_ARCHITECTURE);
}

/** machine.type from the cluster config (q35 unless configured). */
function defaultMachine(domain: PatchBuilder, config: ClusterConfig): void {
  const type = domain.get(P.machineType);
  if (type === undefined || type === null || type === '') domain.set(P.machineType, config.machineType);
}

/**
 * cores/sockets/threads default to 1. With none of them set, cores come from the CPU limit,
 * else the CPU request (rounded up, as Quantity.Value()), so `requests.cpu: 2` gives 2 vCPUs.
 */
function defaultCpuTopology(domain: PatchBuilder): void {
  const current = domain.get(P.cpu);
  if (current === undefined || current === null) {
    domain.set(P.cpu, { cores: coresFromResources(domain), sockets: 1, threads: 1 });
    return;
  }
  if (!isRecord(current)) return;
  const unset = CPU_TOPOLOGY.filter((k) => isNullish(own(current, k)));
  const noneSet = unset.length === CPU_TOPOLOGY.length;
  for (const k of unset) domain.set(CPU_TOPOLOGY_PATHS[k], k === 'cores' && noneSet ? coresFromResources(domain) : 1);
}

const CPU_TOPOLOGY = ['cores', 'sockets', 'threads'] as const;
const CPU_TOPOLOGY_PATHS = { cores: ['cpu', 'cores'], sockets: ['cpu', 'sockets'], threads: ['cpu', 'threads'] } as const;

function isNullish(v: unknown): boolean {
  return v === undefined || v === null;
}

function coresFromResources(domain: PatchBuilder): number {
  const amount = positiveQuantity(domain.get(P.limitsCpu)) ?? positiveQuantity(domain.get(P.requestsCpu));
  if (amount === undefined) return 1;
  const cores = Math.ceil(amount);
  return Number.isSafeInteger(cores) ? cores : 1;
}

/**
 * memory.guest from requests.memory (else limits.memory); then requests.memory from
 * memory.guest. Only amounts that parse and are positive are copied.
 */
function defaultMemory(domain: PatchBuilder): void {
  // The builder reads the input, so a guest amount set here is carried over by hand.
  let guest = domain.get(P.guest);
  if (isNullish(guest)) {
    let source = domain.get(P.requestsMemory);
    if (positiveQuantity(source) === undefined) source = domain.get(P.limitsMemory);
    if (positiveQuantity(source) !== undefined && domain.set(P.guest, source)) guest = source;
  }
  if (domain.isUnset(P.requestsMemory) && positiveQuantity(guest) !== undefined) domain.set(P.requestsMemory, guest);
}

/** ACPI on, so a graceful shutdown (the ACPI power button) reaches the guest. */
function defaultFeatures(domain: PatchBuilder): void {
  if (domain.isUnset(P.acpi)) domain.set(P.acpi, true);
}

/** devices present; a disk without a target is a virtio disk; a cdrom's bus is sata. */
function defaultDevices(domain: PatchBuilder): void {
  if (domain.isUnset(P.devices)) {
    domain.set(P.devices, {});
    return;
  }
  const disks = domain.get(P.disks);
  if (!Array.isArray(disks) || disks.length > MAX_DEVICES) return;
  for (let i = 0; i < disks.length; i++) {
    const disk = domain.at(['devices', 'disks', i]);
    if (disk === undefined) continue;
    const target = disk.get(P.disk);
    const cdrom = disk.get(P.cdrom);
    if (isNullish(target) && isNullish(cdrom)) disk.set(P.disk, { bus: 'virtio' });
    else {
      if (isRecord(target) && disk.isUnset(P.diskBus)) disk.set(P.diskBus, 'virtio');
      if (isRecord(cdrom) && disk.isUnset(P.cdromBus)) disk.set(P.cdromBus, 'sata');
    }
  }
}

/**
 * Every volume without a disk of its name gets one, a virtio disk (KubeVirt's
 * SetDefaultVolumeDisk, then its disk defaults), appended after the disks given.
 */
function defaultVolumeDisks(domain: PatchBuilder, volumes: unknown): void {
  if (!Array.isArray(volumes) || volumes.length > MAX_DEVICES) return;
  const disks = domain.get(P.disks);
  if (!(disks === undefined || disks === null || Array.isArray(disks))) return;
  const named = new Set((Array.isArray(disks) ? disks : []).map((d: unknown) => (isRecord(d) ? own(d, 'name') : undefined)));
  const added: { name: string; disk: { bus: 'virtio' } }[] = [];
  for (const v of volumes as unknown[]) {
    const name = isRecord(v) ? own(v, 'name') : undefined;
    if (typeof name !== 'string' || named.has(name)) continue;
    named.add(name);
    added.push({ name, disk: { bus: 'virtio' } });
  }
  if (added.length === 0) return;
  if (Array.isArray(disks)) for (const d of added) domain.append(P.disks, d);
  else domain.set(P.disks, added);
}

function positiveQuantity(q: unknown): number | undefined {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined;
  const n = tryParseQuantity(q);
  return n !== undefined && n > 0 ? n : undefined;
}
