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
  return defaultedVmi(vmi, config).ops;
}

/** The same defaults for a VM's template, at `/spec/template/spec`. */
export function defaultVm(vm: unknown, config: ClusterConfig): JsonPatchOperation[] {
  return defaulted(vm, ['spec', 'template', 'spec'], config).ops;
}

/** The patch and the object it gives (equal to applying the patch), for callers that need both. */
export interface Defaulted {
  ops: JsonPatchOperation[];
  result: unknown;
}

export function defaultedVmi(vmi: unknown, config: ClusterConfig): Defaulted {
  return defaulted(vmi, ['spec'], config, defaultVmiFinalizer);
}

export function defaultedVm(vm: unknown, config: ClusterConfig): Defaulted {
  return defaulted(vm, ['spec', 'template', 'spec'], config);
}

function defaulted(obj: unknown, specPath: Path, config: ClusterConfig, defaultMeta?: (b: PatchBuilder) => void): Defaulted {
  const builder = new PatchBuilder(obj);
  if (isRecord(obj)) {
    defaultMeta?.(builder);
    defaultSpecAt(builder, specPath, config);
  }
  return { ops: builder.ops, result: builder.result() };
}

/**
 * KubeVirt's VMI mutator adds the foreground finalizer at create, so the controller does not
 * spend an extra PATCH on it (it still adds it to VMIs created while the webhook was bypassed).
 */
function defaultVmiFinalizer(b: PatchBuilder): void {
  if (!isRecord(b.get(['metadata']))) return;
  const path = ['metadata', 'finalizers'];
  const current = b.get(path);
  if (current === undefined || current === null) b.set(path, [Finalizers.vmi]);
  else if (Array.isArray(current) && !current.includes(Finalizers.vmi)) b.set(path, [...current, Finalizers.vmi]);
}

function defaultSpecAt(b: PatchBuilder, spec: Path, config: ClusterConfig): void {
  if (!isRecord(b.get(spec))) return;
  if (b.isUnset([...spec, 'terminationGracePeriodSeconds'])) {
    b.set([...spec, 'terminationGracePeriodSeconds'], DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  }
  const domain = [...spec, 'domain'];
  if (!isRecord(b.get(domain))) return;
  defaultMachine(b, domain, config);
  defaultCpuTopology(b, domain);
  defaultMemory(b, domain);
  defaultFeatures(b, domain);
  defaultDevices(b, domain);
}

/** machine.type from the cluster config (q35 unless configured). */
function defaultMachine(b: PatchBuilder, domain: Path, config: ClusterConfig): void {
  const typePath = [...domain, 'machine', 'type'];
  if (b.isUnset(typePath) || b.get(typePath) === '') b.set(typePath, config.machineType);
}

/**
 * cores/sockets/threads default to 1. With none of them set, cores come from the CPU limit,
 * else the CPU request (rounded up, as Quantity.Value()), so `requests.cpu: 2` gives 2 vCPUs.
 */
function defaultCpuTopology(b: PatchBuilder, domain: Path): void {
  const cpu = [...domain, 'cpu'];
  const current = b.get(cpu);
  if (current !== undefined && current !== null && !isRecord(current)) return;
  if (current === undefined || current === null) {
    b.set(cpu, { cores: coresFromResources(b, domain), sockets: 1, threads: 1 });
    return;
  }
  // Read once: the sets below touch only members found unset here.
  const unset = CPU_TOPOLOGY.filter((k) => isNullish(own(current, k)));
  const noneSet = unset.length === CPU_TOPOLOGY.length;
  for (const k of unset) b.set([...cpu, k], k === 'cores' && noneSet ? coresFromResources(b, domain) : 1);
}

const CPU_TOPOLOGY = ['cores', 'sockets', 'threads'] as const;

function isNullish(v: unknown): boolean {
  return v === undefined || v === null;
}

function coresFromResources(b: PatchBuilder, domain: Path): number {
  const amount = positiveQuantity(b.get([...domain, 'resources', 'limits', 'cpu'])) ?? positiveQuantity(b.get([...domain, 'resources', 'requests', 'cpu']));
  if (amount === undefined) return 1;
  const cores = Math.ceil(amount);
  return Number.isSafeInteger(cores) ? cores : 1;
}

/**
 * memory.guest from requests.memory (else limits.memory); then requests.memory from
 * memory.guest. Only amounts that parse and are positive are copied.
 */
function defaultMemory(b: PatchBuilder, domain: Path): void {
  const guest = [...domain, 'memory', 'guest'];
  const requests = [...domain, 'resources', 'requests', 'memory'];
  const limits = [...domain, 'resources', 'limits', 'memory'];
  if (b.isUnset(guest)) {
    const source = [requests, limits].find((p) => positiveQuantity(b.get(p)) !== undefined);
    if (source !== undefined) b.set(guest, b.get(source));
  }
  if (b.isUnset(requests) && positiveQuantity(b.get(guest)) !== undefined) b.set(requests, b.get(guest));
}

/** ACPI on, so a graceful shutdown (the ACPI power button) reaches the guest. */
function defaultFeatures(b: PatchBuilder, domain: Path): void {
  const enabled = [...domain, 'features', 'acpi', 'enabled'];
  if (b.isUnset(enabled)) b.set(enabled, true);
}

/** devices present; a disk without a target is a virtio disk; a cdrom's bus is sata. */
function defaultDevices(b: PatchBuilder, domain: Path): void {
  const devices = [...domain, 'devices'];
  if (b.isUnset(devices)) b.set(devices, {});
  const disks = b.get([...devices, 'disks']);
  if (!Array.isArray(disks) || disks.length > MAX_DEVICES) return;
  disks.forEach((disk, i) => {
    if (!isRecord(disk)) return;
    const path = [...devices, 'disks', i];
    if (b.isUnset([...path, 'disk']) && b.isUnset([...path, 'cdrom'])) {
      b.set([...path, 'disk'], { bus: 'virtio' });
      return;
    }
    if (isRecord(own(disk, 'disk')) && b.isUnset([...path, 'disk', 'bus'])) b.set([...path, 'disk', 'bus'], 'virtio');
    if (isRecord(own(disk, 'cdrom')) && b.isUnset([...path, 'cdrom', 'bus'])) b.set([...path, 'cdrom', 'bus'], 'sata');
  });
}

function positiveQuantity(q: unknown): number | undefined {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined;
  const n = tryParseQuantity(q);
  return n !== undefined && n > 0 ? n : undefined;
}
