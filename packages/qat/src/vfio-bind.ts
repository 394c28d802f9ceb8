import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VfioBindError } from './errors.js';
import { matchQatDevice, VFIO_PCI_DRIVER } from './pci-ids.js';
import { pathExists, readAttr, readLinkBasename } from './sysfs-read.js';

export const PCI_ADDRESS_RE = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

/** Writes one sysfs attribute; the kernel acts on each write. */
export type SysfsWrite = (path: string, value: string) => Promise<void>;

export interface BindToVfioOptions {
  readonly sysfsRoot: string;
  /** PCI address of a QAT VF, e.g. `0000:3d:01.1`. */
  readonly address: string;
  /** How attributes are written; default a plain write (what the kernel expects). */
  readonly write?: SysfsWrite;
  /** How long to wait for vfio-pci to claim the device after drivers_probe. */
  readonly settleTimeoutMs?: number;
}

export interface BindResult {
  readonly address: string;
  readonly previousDriver: string | null;
  /** False when it was already on vfio-pci (nothing written). */
  readonly changed: boolean;
}

const plainWrite: SysfsWrite = (path, value) => writeFile(path, value);

/**
 * Opt-in: moves a QAT VF to vfio-pci the way the kernel documents it:
 * `driver_override` = vfio-pci, unbind from the current driver, then
 * `drivers_probe`. Idempotent; verifies the `driver` link afterwards.
 */
export async function bindToVfio(opts: BindToVfioOptions): Promise<BindResult> {
  const { sysfsRoot, address } = opts;
  const write = opts.write ?? plainWrite;
  if (!PCI_ADDRESS_RE.test(address)) {
    throw new VfioBindError(address, 'address must look like 0000:3d:01.1 (lower-case domain:bus:slot.function)');
  }
  const dev = join(sysfsRoot, 'bus', 'pci', 'devices', address);
  if (!(await pathExists(dev))) throw new VfioBindError(address, `no such device ${dev}`);
  const [vendor, device] = await Promise.all([readAttr(join(dev, 'vendor')), readAttr(join(dev, 'device'))]);
  const match = vendor && device ? matchQatDevice(vendor, device) : undefined;
  if (match?.kind !== 'vf') {
    throw new VfioBindError(address, `not a QAT VF (vendor ${vendor ?? '?'} device ${device ?? '?'}); refusing to rebind it`);
  }
  const previousDriver = await readLinkBasename(join(dev, 'driver'));
  if (previousDriver === VFIO_PCI_DRIVER) return { address, previousDriver, changed: false };

  const step = async (what: string, path: string, value: string): Promise<void> => {
    try {
      await write(path, value);
    } catch (err) {
      throw new VfioBindError(address, `${what}: writing "${value}" to ${path} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  await step('set driver_override', join(dev, 'driver_override'), VFIO_PCI_DRIVER);
  if (previousDriver !== null) {
    await step(`unbind from ${previousDriver}`, join(sysfsRoot, 'bus', 'pci', 'drivers', previousDriver, 'unbind'), address);
  }
  await step('probe', join(sysfsRoot, 'bus', 'pci', 'drivers_probe'), address);

  const deadline = Date.now() + (opts.settleTimeoutMs ?? 2000);
  for (;;) {
    const now = await readLinkBasename(join(dev, 'driver'));
    if (now === VFIO_PCI_DRIVER) return { address, previousDriver, changed: true };
    if (Date.now() >= deadline) {
      throw new VfioBindError(
        address,
        `after drivers_probe the driver is ${now ?? 'none'}, not vfio-pci: is the vfio-pci module loaded? ` +
          `QAT 1.x VFs on Linux >= 5.9 also need vfio-pci.disable_denylist=1`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
