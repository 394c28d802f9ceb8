// Low-level pieces of the SIMULATED host tree (test support): one PCI
// function's directory and the links the kernel keeps about it. Laid out
// like a real /sys so discovery code cannot tell the difference.
import { mkdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

export interface FakeFunction {
  readonly address: string;
  readonly vendor: string; // 4 hex digits
  readonly device: string; // 4 hex digits
  readonly classCode: string; // e.g. 0b4000
  readonly driver: string | null;
  readonly iommuGroup: string | null;
  readonly numaNode: number;
}

export function busOf(address: string): string {
  return address.slice(5, 7);
}

/** `<sysfs>/devices/pci0000:<bus>/<bdf>`: where the real directory lives. */
export function deviceDir(sysfsRoot: string, address: string): string {
  return join(sysfsRoot, 'devices', `pci0000:${busOf(address)}`, address);
}

export async function relLink(target: string, linkPath: string): Promise<void> {
  await mkdir(dirname(linkPath), { recursive: true });
  await rm(linkPath, { force: true });
  await symlink(relative(dirname(linkPath), target), linkPath);
}

export async function ensureDriverDir(sysfsRoot: string, driver: string): Promise<string> {
  const dir = join(sysfsRoot, 'bus', 'pci', 'drivers', driver);
  await mkdir(dir, { recursive: true });
  // Write-only attributes the kernel offers on every PCI driver.
  for (const f of ['bind', 'unbind', 'new_id', 'remove_id']) await writeFile(join(dir, f), '', { flag: 'a' });
  return dir;
}

export function uevent(fn: FakeFunction): string {
  const id = `${fn.vendor}:${fn.device}`.toUpperCase();
  const cls = fn.classCode.replace(/^0+/, '').toUpperCase();
  return (
    (fn.driver ? `DRIVER=${fn.driver}\n` : '') +
    `PCI_CLASS=${cls}\nPCI_ID=${id}\nPCI_SUBSYS_ID=${fn.vendor.toUpperCase()}:0000\nPCI_SLOT_NAME=${fn.address}\n` +
    `MODALIAS=pci:v0000${fn.vendor.toUpperCase()}d0000${fn.device.toUpperCase()}sv0000${fn.vendor.toUpperCase()}sd00000000bc${fn.classCode.slice(0, 2).toUpperCase()}sc${fn.classCode.slice(2, 4).toUpperCase()}i${fn.classCode.slice(4, 6).toUpperCase()}\n`
  );
}

/** The first 64 bytes of PCI config space: vendor and device IDs, little-endian. */
function configSpace(fn: FakeFunction): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt16LE(Number.parseInt(fn.vendor, 16), 0);
  b.writeUInt16LE(Number.parseInt(fn.device, 16), 2);
  return b;
}

export async function createFunction(sysfsRoot: string, fn: FakeFunction): Promise<string> {
  const dir = deviceDir(sysfsRoot, fn.address);
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, 'vendor'), `0x${fn.vendor}\n`),
    writeFile(join(dir, 'device'), `0x${fn.device}\n`),
    writeFile(join(dir, 'subsystem_vendor'), `0x${fn.vendor}\n`),
    writeFile(join(dir, 'subsystem_device'), '0x0000\n'),
    writeFile(join(dir, 'class'), `0x${fn.classCode}\n`),
    writeFile(join(dir, 'numa_node'), `${fn.numaNode}\n`),
    writeFile(join(dir, 'driver_override'), '(null)\n'),
    writeFile(join(dir, 'uevent'), uevent(fn)),
    writeFile(join(dir, 'config'), configSpace(fn)),
  ]);
  await relLink(join(sysfsRoot, 'bus', 'pci'), join(dir, 'subsystem'));
  await relLink(dir, join(sysfsRoot, 'bus', 'pci', 'devices', fn.address));
  if (fn.driver) await linkDriver(sysfsRoot, fn.address, fn.driver);
  if (fn.iommuGroup !== null) {
    const groupDir = join(sysfsRoot, 'kernel', 'iommu_groups', fn.iommuGroup);
    await mkdir(join(groupDir, 'devices'), { recursive: true });
    await writeFile(join(groupDir, 'type'), 'DMA\n');
    await relLink(groupDir, join(dir, 'iommu_group'));
    await relLink(dir, join(groupDir, 'devices', fn.address));
  }
  return dir;
}

export async function linkDriver(sysfsRoot: string, address: string, driver: string): Promise<void> {
  const dir = deviceDir(sysfsRoot, address);
  const drvDir = await ensureDriverDir(sysfsRoot, driver);
  await relLink(drvDir, join(dir, 'driver'));
  await relLink(dir, join(drvDir, address));
}

export async function unlinkDriver(sysfsRoot: string, address: string): Promise<string | null> {
  const dir = deviceDir(sysfsRoot, address);
  let driver: string | null = null;
  try {
    driver = (await readlink(join(dir, 'driver'))).split('/').pop() ?? null;
  } catch {
    return null;
  }
  await rm(join(dir, 'driver'), { force: true });
  if (driver) await rm(join(sysfsRoot, 'bus', 'pci', 'drivers', driver, address), { force: true });
  return driver;
}

export async function removeFunction(sysfsRoot: string, address: string, iommuGroup: string | null): Promise<void> {
  await unlinkDriver(sysfsRoot, address);
  await rm(join(sysfsRoot, 'bus', 'pci', 'devices', address), { force: true });
  if (iommuGroup !== null) await rm(join(sysfsRoot, 'kernel', 'iommu_groups', iommuGroup, 'devices', address), { force: true });
  await rm(deviceDir(sysfsRoot, address), { recursive: true, force: true });
}
