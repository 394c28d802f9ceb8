import { join } from 'node:path';
import type { QatGenerationInfo } from './pci-ids.js';
import type { HeartbeatStatus, QatPf } from './qat-device.js';
import { errCode, listDir, parseCount, parseNumaNode, readAttr, readLinkBasename } from './sysfs-read.js';

export interface PfReadOptions {
  readonly sysfsRoot: string;
  readonly debugfsRoot: string;
}

/** The debugfs heartbeat file of a PF: `<debugfs>/qat_<pfdrv>_<bdf>/heartbeat/status`. */
export function heartbeatPath(debugfsRoot: string, pfDriver: string, address: string): string {
  return join(debugfsRoot, `qat_${pfDriver}_${address}`, 'heartbeat', 'status');
}

export function parseHeartbeat(text: string | null): HeartbeatStatus {
  if (text === null) return 'unavailable';
  if (text === '0') return 'ok';
  if (text === '-1') return 'failed';
  return 'unrecognized';
}

async function readHeartbeat(path: string): Promise<HeartbeatStatus> {
  try {
    return parseHeartbeat(await readAttr(path));
  } catch (err) {
    // debugfs is root-only: an unprivileged reader cannot verify, which is not a failure.
    if (errCode(err) === 'EACCES' || errCode(err) === 'EPERM') return 'unavailable';
    throw err;
  }
}

/** Reads one PF's attributes (device dir `<sysfsRoot>/bus/pci/devices/<address>`). */
export async function readPf(opts: PfReadOptions, address: string, deviceId: string, info: QatGenerationInfo): Promise<QatPf> {
  const dir = join(opts.sysfsRoot, 'bus', 'pci', 'devices', address);
  const [driver, numa, total, num, entries, services, state] = await Promise.all([
    readLinkBasename(join(dir, 'driver')),
    readAttr(join(dir, 'numa_node')),
    readAttr(join(dir, 'sriov_totalvfs')),
    readAttr(join(dir, 'sriov_numvfs')),
    listDir(dir),
    info.configurableServices ? readAttr(join(dir, 'qat', 'cfg_services')) : Promise.resolve(null),
    info.configurableServices ? readAttr(join(dir, 'qat', 'state')) : Promise.resolve(null),
  ]);
  const virtfns = entries.filter((e) => /^virtfn\d+$/.test(e)).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  const vfAddresses = (await Promise.all(virtfns.map((v) => readLinkBasename(join(dir, v))))).filter((a): a is string => a !== null);
  // The debugfs directory is named after the bound driver; fall back to the generation's driver.
  const hbPath = heartbeatPath(opts.debugfsRoot, driver ?? info.pfDriver, address);
  return {
    address,
    generation: info.generation,
    deviceId,
    driver,
    numaNode: parseNumaNode(numa),
    totalVfs: parseCount(total),
    numVfs: parseCount(num),
    vfAddresses,
    services,
    state: state === 'up' || state === 'down' ? state : null,
    heartbeat: await readHeartbeat(hbPath),
    heartbeatPath: hbPath,
  };
}
