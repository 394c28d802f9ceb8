import { Finalizers, MAX_DEVICES, tryParseQuantity, type ClusterConfig } from '@qvirt/api';
import type { JsonPatchOperation } from './json-patch.js';
import { PatchBuilder } from './patch-builder.js';
import { isRecord, own } from './untrusted.js';

type Path = readonly (string | number)[];

/** KubeVirt's default grace period for a VMI's shutdown. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/**
 * The defaults a mutating webhook adds to a new VMI, as an RFC 6902 patch against `vmi`.
 * Total on any input: values of the wrong type are left alone for validation to report.
 */
export function defaultVmi(vmi: unknown, config: ClusterConfig): JsonPatchOperation[] {
  return defaulted(vmi, ['spec'], config, defaultVmiFinalizer);
}

/** The same defaults for a VM's template, at `/spec/template/spec`. */
export function defaultVm(vm: unknown, config: ClusterConfig): JsonPatchOperation[] {
  return defaulted(vm, ['spec', 'template', 'spec'], config);
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
  const metadata = b.at(['metadata']);
  if (metadata === undefined) return;
  const current = metadata.get(['finalizers']);
  if (current === undefined || current === null) metadata.set(['finalizers'], [Finalizers.vmi]);
  else if (Array.isArray(current) && !current.includes(Finalizers.vmi)) metadata.set(['finalizers'], [...current, Finalizers.vmi]);
}

function defaultSpec(spec: PatchBuilder, config: ClusterConfig): void {
  if (spec.isUnset(['terminationGracePeriodSeconds'])) spec.set(['terminationGracePeriodSeconds'], DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  const domain = spec.at(['domain']);
  if (domain === undefined) return;
  defaultMachine(domain, config);
  defaultCpuTopology(domain);
  defaultMemory(domain);
  defaultFeatures(domain);
  defaultDevices(domain);
}

/** machine.type from the cluster config (q35 unless configured). */
function defaultMachine(domain: PatchBuilder, config: ClusterConfig): void {
  const type = domain.get(['machine', 'type']);
  if (type === undefined || type === null || type === '') domain.set(['machine', 'type'], config.machineType);
}

/**
 * cores/sockets/threads default to 1. With none of them set, cores come from the CPU limit,
 * else the CPU request (rounded up, as Quantity.Value()), so `requests.cpu: 2` gives 2 vCPUs.
 */
function defaultCpuTopology(domain: PatchBuilder): void {
  const current = domain.get(['cpu']);
  if (current === undefined || current === null) {
    domain.set(['cpu'], { cores: coresFromResources(domain), sockets: 1, threads: 1 });
    return;
  }
  if (!isRecord(current)) return;
  const unset = CPU_TOPOLOGY.filter((k) => isNullish(own(current, k)));
  const noneSet = unset.length === CPU_TOPOLOGY.length;
  for (const k of unset) domain.set(['cpu', k], k === 'cores' && noneSet ? coresFromResources(domain) : 1);
}

const CPU_TOPOLOGY = ['cores', 'sockets', 'threads'] as const;

function isNullish(v: unknown): boolean {
  return v === undefined || v === null;
}

function coresFromResources(domain: PatchBuilder): number {
  const amount = positiveQuantity(domain.get(['resources', 'limits', 'cpu'])) ?? positiveQuantity(domain.get(['resources', 'requests', 'cpu']));
  if (amount === undefined) return 1;
  const cores = Math.ceil(amount);
  return Number.isSafeInteger(cores) ? cores : 1;
}

/**
 * memory.guest from requests.memory (else limits.memory); then requests.memory from
 * memory.guest. Only amounts that parse and are positive are copied.
 */
function defaultMemory(domain: PatchBuilder): void {
  const requests = ['resources', 'requests', 'memory'];
  // The builder reads the input, so a guest amount set here is carried over by hand.
  let guest = domain.get(['memory', 'guest']);
  if (isNullish(guest)) {
    let source = domain.get(requests);
    if (positiveQuantity(source) === undefined) source = domain.get(['resources', 'limits', 'memory']);
    if (positiveQuantity(source) !== undefined && domain.set(['memory', 'guest'], source)) guest = source;
  }
  if (domain.isUnset(requests) && positiveQuantity(guest) !== undefined) domain.set(requests, guest);
}

/** ACPI on, so a graceful shutdown (the ACPI power button) reaches the guest. */
function defaultFeatures(domain: PatchBuilder): void {
  if (domain.isUnset(['features', 'acpi', 'enabled'])) domain.set(['features', 'acpi', 'enabled'], true);
}

/** devices present; a disk without a target is a virtio disk; a cdrom's bus is sata. */
function defaultDevices(domain: PatchBuilder): void {
  if (domain.isUnset(['devices'])) {
    domain.set(['devices'], {});
    return;
  }
  const disks = domain.get(['devices', 'disks']);
  if (!Array.isArray(disks) || disks.length > MAX_DEVICES) return;
  for (let i = 0; i < disks.length; i++) {
    const disk = domain.at(['devices', 'disks', i]);
    if (disk === undefined) continue;
    const target = disk.get(['disk']);
    const cdrom = disk.get(['cdrom']);
    if (isNullish(target) && isNullish(cdrom)) disk.set(['disk'], { bus: 'virtio' });
    else {
      if (isRecord(target) && disk.isUnset(['disk', 'bus'])) disk.set(['disk', 'bus'], 'virtio');
      if (isRecord(cdrom) && disk.isUnset(['cdrom', 'bus'])) disk.set(['cdrom', 'bus'], 'sata');
    }
  }
}

function positiveQuantity(q: unknown): number | undefined {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined;
  const n = tryParseQuantity(q);
  return n !== undefined && n > 0 ? n : undefined;
}
