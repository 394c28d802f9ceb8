// SIMULATED QAT host (test support, exported for other workspaces' tests and
// the local stack): builds `<root>/sys` and `<root>/dev` laid out like a real
// host with QAT PFs and VFs. There is no QAT hardware or IOMMU here; device
// nodes under `<root>/dev` are PLAIN FILES standing in for character devices.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeHostSpecError } from './errors.js';
import { generationInfo, INTEL_VENDOR_ID, VFIO_PCI_DRIVER, type QatGeneration } from './pci-ids.js';
import { createFunction, deviceDir, ensureDriverDir, relLink, removeFunction } from './fake-host-tree.js';
import { heartbeatPath } from './pf-discovery.js';
import { FakeKernel } from './fake-kernel.js';

export interface FakeVfSpec {
  /** Default: the PF's `vfDriver`. null = unbound. */
  readonly driver?: string | null;
  /** Explicit IOMMU group (give two devices the same number to share one); null = no group. */
  readonly iommuGroup?: number | null;
  /** The group is a `vfio-noiommu` group (no real IOMMU); node `/dev/vfio/noiommu-<n>`. */
  readonly noiommu?: boolean;
  /** Create `/dev/vfio/<group>` (default: when bound to vfio-pci and not noiommu). */
  readonly devNode?: boolean;
  /** Default: the PF's NUMA node. */
  readonly numaNode?: number;
}

export interface FakePfSpec {
  readonly generation: QatGeneration;
  /** Default `0000:<bus>:00.0` with bus 0x3d + 2 x index. */
  readonly address?: string;
  /** Count (all with defaults) or one spec per VF. Default 16. */
  readonly vfs?: number | readonly FakeVfSpec[];
  /** Driver of VFs that do not name one. Default vfio-pci. */
  readonly vfDriver?: string | null;
  /** Default -1 (unknown), like many single-socket hosts. */
  readonly numaNode?: number;
  /** Gen4+ `qat/cfg_services`. Default `sym;asym`. null = no file. */
  readonly services?: string | null;
  /** Gen4+ `qat/state`. Default `up`. */
  readonly state?: 'up' | 'down';
  /** debugfs heartbeat status: 0 ok, -1 failed, null no file. Default 0. */
  readonly heartbeat?: 0 | -1 | null;
  /** Default the generation's PF driver. */
  readonly pfDriver?: string | null;
  /** Default max(VF count, 16). */
  readonly totalVfs?: number;
}

export interface FakeOtherDeviceSpec {
  readonly address: string;
  readonly vendor: string;
  readonly device: string;
  readonly driver: string | null;
  readonly iommuGroup: number | null;
  readonly numaNode?: number;
}

export interface FakeQatHostSpec {
  readonly pfs: readonly FakePfSpec[];
  readonly otherDevices?: readonly FakeOtherDeviceSpec[];
  /** Create `<dev>/kvm` (plain file). Default true. */
  readonly kvm?: boolean;
}

export interface FakePfLayout {
  readonly address: string;
  readonly generation: QatGeneration;
  readonly pfDriver: string;
  readonly vfs: string[];
}

const RESERVED_GROUP_START = 10;

/** VF addresses as the kernel assigns them: Gen4+ right after the PF (00.1 on), older from slot 1. */
export function vfAddress(pfAddress: string, generation: QatGeneration, index: number): string {
  const devfn = (generationInfo(generation).configurableServices ? 1 : 8) + index;
  if (devfn > 255) throw new FakeHostSpecError(`PF ${pfAddress}: VF index ${index} does not fit on the bus`);
  const slot = (devfn >> 3).toString(16).padStart(2, '0');
  return `${pfAddress.slice(0, 8)}${slot}.${devfn & 7}`;
}

export function defaultPfAddress(index: number): string {
  const bus = 0x3d + 2 * index;
  if (bus > 0xff) throw new FakeHostSpecError(`PF index ${index}: give an explicit address`);
  return `0000:${bus.toString(16).padStart(2, '0')}:00.0`;
}

/**
 * Builds the simulated tree under `root` (wiped first) and returns a handle
 * to inspect and mutate it like the kernel would.
 */
export async function buildFakeQatHost(root: string, spec: FakeQatHostSpec): Promise<FakeQatHost> {
  const sysfsRoot = join(root, 'sys');
  const devRoot = join(root, 'dev');
  await rm(root, { recursive: true, force: true });
  await mkdir(join(sysfsRoot, 'bus', 'pci', 'devices'), { recursive: true });
  await mkdir(join(sysfsRoot, 'kernel', 'iommu_groups'), { recursive: true });
  await mkdir(join(sysfsRoot, 'kernel', 'debug'), { recursive: true });
  await writeFile(join(sysfsRoot, 'bus', 'pci', 'drivers_probe'), '');
  await ensureDriverDir(sysfsRoot, VFIO_PCI_DRIVER);
  await mkdir(join(devRoot, 'vfio'), { recursive: true });
  await writeFile(join(devRoot, 'vfio', 'vfio'), ''); // stands in for the VFIO container char device
  if (spec.kvm !== false) await writeFile(join(devRoot, 'kvm'), ''); // stands in for /dev/kvm

  const host = new FakeQatHost(root, sysfsRoot, devRoot);
  const used = new Set<number>();
  for (const pf of spec.pfs) {
    const vfs = typeof pf.vfs === 'number' || pf.vfs === undefined ? [] : pf.vfs;
    for (const v of vfs) if (typeof v.iommuGroup === 'number') used.add(v.iommuGroup);
  }
  for (const d of spec.otherDevices ?? []) if (d.iommuGroup !== null) used.add(d.iommuGroup);
  let next = RESERVED_GROUP_START;
  const allocGroup = (): string => {
    while (used.has(next)) next++;
    used.add(next);
    return String(next);
  };
  host.allocGroup = allocGroup;

  const seen = new Set<string>();
  for (const [i, pf] of spec.pfs.entries()) {
    const address = pf.address ?? defaultPfAddress(i);
    if (seen.has(address)) throw new FakeHostSpecError(`PF address ${address} used twice`);
    seen.add(address);
    await host.addPf(address, pf);
  }
  for (const d of spec.otherDevices ?? []) {
    const group = d.iommuGroup === null ? null : String(d.iommuGroup);
    await createFunction(sysfsRoot, {
      address: d.address,
      vendor: d.vendor.replace(/^0x/, ''),
      device: d.device.replace(/^0x/, ''),
      classCode: '020000',
      driver: d.driver,
      iommuGroup: group,
      numaNode: d.numaNode ?? -1,
    });
    if (group !== null && d.driver === VFIO_PCI_DRIVER) await host.addVfioNode(group);
  }
  return host;
}

/** Handle on a simulated host: paths, layout, and kernel-like mutations. */
export class FakeQatHost {
  readonly pfs: FakePfLayout[] = [];
  /** IOMMU group of every function created, by address. */
  readonly groups = new Map<string, string | null>();
  readonly kernel: FakeKernel;
  /** @internal */
  allocGroup: () => string = () => {
    throw new FakeHostSpecError('host not initialised');
  };
  private readonly pfSpecs = new Map<string, FakePfSpec>();

  constructor(
    readonly root: string,
    readonly sysfsRoot: string,
    readonly devRoot: string,
  ) {
    this.kernel = new FakeKernel(sysfsRoot, devRoot, this.groups);
  }

  get debugfsRoot(): string {
    return join(this.sysfsRoot, 'kernel', 'debug');
  }

  get vfs(): string[] {
    return this.pfs.flatMap((p) => p.vfs).sort();
  }

  /** @internal used by the builder */
  async addPf(address: string, pf: FakePfSpec): Promise<void> {
    const info = generationInfo(pf.generation);
    const pfDriver = pf.pfDriver === undefined ? info.pfDriver : pf.pfDriver;
    const vfSpecs: readonly FakeVfSpec[] = typeof pf.vfs === 'object' ? pf.vfs : Array.from({ length: pf.vfs ?? 16 }, () => ({}));
    const numa = pf.numaNode ?? -1;
    const group = this.allocGroup();
    this.groups.set(address, group);
    const dir = await createFunction(this.sysfsRoot, {
      address,
      vendor: INTEL_VENDOR_ID,
      device: info.pfDevice,
      classCode: '0b4000',
      driver: pfDriver,
      iommuGroup: group,
      numaNode: numa,
    });
    await writeFile(join(dir, 'sriov_totalvfs'), `${pf.totalVfs ?? Math.max(vfSpecs.length, 16)}\n`);
    await writeFile(join(dir, 'sriov_numvfs'), '0\n');
    if (info.configurableServices) {
      await mkdir(join(dir, 'qat'), { recursive: true });
      const services = pf.services === undefined ? 'sym;asym' : pf.services;
      if (services !== null) await writeFile(join(dir, 'qat', 'cfg_services'), `${services}\n`);
      await writeFile(join(dir, 'qat', 'state'), `${pf.state ?? 'up'}\n`);
    }
    this.pfs.push({ address, generation: pf.generation, pfDriver: pfDriver ?? info.pfDriver, vfs: [] });
    this.pfSpecs.set(address, pf);
    await this.setHeartbeat(address, pf.heartbeat === undefined ? 0 : pf.heartbeat);
    for (const vf of vfSpecs) await this.addVf(address, vf);
  }

  private layout(pfAddress: string): FakePfLayout {
    const pf = this.pfs.find((p) => p.address === pfAddress);
    if (!pf) throw new FakeHostSpecError(`no simulated PF ${pfAddress}`);
    return pf;
  }

  /** Adds the next VF to a PF (as raising sriov_numvfs would). Returns its address. */
  async addVf(pfAddress: string, vf: FakeVfSpec = {}): Promise<string> {
    const pf = this.layout(pfAddress);
    const spec = this.pfSpecs.get(pfAddress) ?? { generation: pf.generation };
    const info = generationInfo(pf.generation);
    const index = pf.vfs.length;
    const address = vfAddress(pfAddress, pf.generation, index);
    const driver = vf.driver === undefined ? (spec.vfDriver === undefined ? VFIO_PCI_DRIVER : spec.vfDriver) : vf.driver;
    const group = vf.iommuGroup === null ? null : vf.iommuGroup === undefined ? this.allocGroup() : String(vf.iommuGroup);
    this.groups.set(address, group);
    const dir = await createFunction(this.sysfsRoot, {
      address,
      vendor: INTEL_VENDOR_ID,
      device: info.vfDevices[0] ?? '',
      classCode: '0b4000',
      driver,
      iommuGroup: group,
      numaNode: vf.numaNode ?? spec.numaNode ?? -1,
    });
    const pfDir = deviceDir(this.sysfsRoot, pfAddress);
    await relLink(pfDir, join(dir, 'physfn'));
    await relLink(dir, join(pfDir, `virtfn${index}`));
    pf.vfs.push(address);
    await writeFile(join(pfDir, 'sriov_numvfs'), `${pf.vfs.length}\n`);
    if (group !== null) {
      const groupDir = join(this.sysfsRoot, 'kernel', 'iommu_groups', group);
      if (vf.noiommu) await writeFile(join(groupDir, 'name'), 'vfio-noiommu\n');
      const wantNode = vf.devNode ?? (driver === VFIO_PCI_DRIVER && !vf.noiommu);
      if (wantNode) await this.addVfioNode(group);
      if (vf.noiommu && driver === VFIO_PCI_DRIVER) await writeFile(join(this.devRoot, 'vfio', `noiommu-${group}`), '');
    }
    return address;
  }

  /** Removes a PF's last VF (as lowering sriov_numvfs would). Returns its address. */
  async removeLastVf(pfAddress: string): Promise<string> {
    const pf = this.layout(pfAddress);
    const address = pf.vfs.pop();
    if (!address) throw new FakeHostSpecError(`PF ${pfAddress} has no VFs left`);
    const pfDir = deviceDir(this.sysfsRoot, pfAddress);
    await rm(join(pfDir, `virtfn${pf.vfs.length}`), { force: true });
    const group = this.groups.get(address) ?? null;
    await removeFunction(this.sysfsRoot, address, group);
    this.groups.delete(address);
    if (group !== null && ![...this.groups.values()].includes(group)) {
      await rm(join(this.devRoot, 'vfio', group), { force: true });
      await rm(join(this.sysfsRoot, 'kernel', 'iommu_groups', group), { recursive: true, force: true });
    }
    await writeFile(join(pfDir, 'sriov_numvfs'), `${pf.vfs.length}\n`);
    return address;
  }

  /** Writes the PF's debugfs heartbeat status (null removes the file). */
  async setHeartbeat(pfAddress: string, status: 0 | -1 | null): Promise<void> {
    const pf = this.layout(pfAddress);
    const path = heartbeatPath(this.debugfsRoot, pf.pfDriver, pfAddress);
    if (status === null) {
      await rm(join(path, '..', '..'), { recursive: true, force: true });
      return;
    }
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, `${status}\n`);
  }

  async setServices(pfAddress: string, services: string, state: 'up' | 'down' = 'up'): Promise<void> {
    const dir = join(deviceDir(this.sysfsRoot, this.layout(pfAddress).address), 'qat');
    await writeFile(join(dir, 'cfg_services'), `${services}\n`);
    await writeFile(join(dir, 'state'), `${state}\n`);
  }

  /** Creates `<dev>/vfio/<group>` (a plain file standing in for the char device). */
  async addVfioNode(group: string): Promise<void> {
    await writeFile(join(this.devRoot, 'vfio', group), '');
  }

  async removeVfioNode(group: string): Promise<void> {
    await rm(join(this.devRoot, 'vfio', group), { force: true });
  }

  groupOf(address: string): string {
    const g = this.groups.get(address);
    if (g === undefined || g === null) throw new FakeHostSpecError(`${address} has no IOMMU group in the simulated host`);
    return g;
  }
}
