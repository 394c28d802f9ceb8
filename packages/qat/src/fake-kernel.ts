// SIMULATED kernel side of sysfs writes (test support). Real sysfs attributes
// are handlers: writing an address to `drivers/<drv>/unbind` detaches the
// device. Here every write lands in the file (so tests can check what was
// written) and is also applied to the simulated tree.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { deviceDir, linkDriver, unlinkDriver } from './fake-host-tree.js';
import { VFIO_PCI_DRIVER } from './pci-ids.js';
import { pathExists, readAttr, readLinkBasename } from './sysfs-read.js';

export interface RecordedWrite {
  /** Path relative to the sysfs root, e.g. `bus/pci/drivers_probe`. */
  readonly path: string;
  readonly value: string;
}

export class FakeKernel {
  readonly writes: RecordedWrite[] = [];

  constructor(
    private readonly sysfsRoot: string,
    private readonly devRoot: string,
    private readonly groups: ReadonlyMap<string, string | null>,
  ) {}

  /** A `SysfsWrite` (see vfio-bind) that behaves like the kernel on the simulated tree. */
  readonly write = async (path: string, value: string): Promise<void> => {
    const rel = relative(this.sysfsRoot, path).split(sep).join('/');
    this.writes.push({ path: rel, value });
    await writeFile(path, value);
    const address = value.trim();
    let m: RegExpMatchArray | null;
    if ((m = rel.match(/^bus\/pci\/drivers\/([^/]+)\/unbind$/))) await this.unbind(address, m[1] ?? '');
    else if ((m = rel.match(/^bus\/pci\/drivers\/([^/]+)\/bind$/))) await this.bind(address, m[1] ?? '');
    else if (rel === 'bus/pci/drivers_probe') await this.probe(address);
  };

  private async unbind(address: string, driver: string): Promise<void> {
    const current = await readLinkBasename(join(this.sysfsRoot, 'bus', 'pci', 'devices', address, 'driver'));
    if (current !== driver) throw Object.assign(new Error('No such device'), { code: 'ENODEV' });
    await unlinkDriver(this.sysfsRoot, address);
    await this.setUeventDriver(address, null);
    const group = this.groups.get(address) ?? null;
    if (driver === VFIO_PCI_DRIVER && group !== null) {
      // The group node goes away when no device of the group is on vfio-pci any more.
      const others = [...this.groups].filter(([a, g]) => g === group && a !== address);
      const still = await Promise.all(others.map(([a]) => readLinkBasename(join(deviceDir(this.sysfsRoot, a), 'driver'))));
      if (!still.includes(VFIO_PCI_DRIVER)) await rm(join(this.devRoot, 'vfio', group), { force: true });
    }
  }

  private async bind(address: string, driver: string): Promise<void> {
    if (!(await pathExists(join(this.sysfsRoot, 'bus', 'pci', 'drivers', driver)))) {
      throw Object.assign(new Error('No such device'), { code: 'ENODEV' });
    }
    await linkDriver(this.sysfsRoot, address, driver);
    await this.setUeventDriver(address, driver);
    const group = this.groups.get(address) ?? null;
    const noiommu = group !== null && (await readAttr(join(this.sysfsRoot, 'kernel', 'iommu_groups', group, 'name'))) === 'vfio-noiommu';
    if (driver === VFIO_PCI_DRIVER && group !== null && !noiommu) await writeFile(join(this.devRoot, 'vfio', group), '');
  }

  /** `drivers_probe`: an unbound device goes to its `driver_override` driver, if any. */
  private async probe(address: string): Promise<void> {
    const dev = join(this.sysfsRoot, 'bus', 'pci', 'devices', address);
    if ((await readLinkBasename(join(dev, 'driver'))) !== null) return;
    const override = await readAttr(join(dev, 'driver_override'));
    if (override && override !== '(null)') await this.bind(address, override);
  }

  private async setUeventDriver(address: string, driver: string | null): Promise<void> {
    const path = join(deviceDir(this.sysfsRoot, address), 'uevent');
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '' && !l.startsWith('DRIVER='));
    await writeFile(path, (driver ? [`DRIVER=${driver}`, ...lines] : lines).join('\n') + '\n');
  }
}
