// The launcher writes the VMI's cloud-init disk into the pod's emptyDir before it is ready, as
// KubeVirt's launcher does: the files virt-controller computed, an ISO 9660 image with Joliet and
// Rock Ridge (the long lower-case names cloud-init reads), labelled cidata or config-2.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { CloudInitDisk } from '@qvirt/domain';
import type { Logger } from '@qvirt/log';

const run = promisify(execFile);

/** Writes `disk.isoPath` afresh (KubeVirt's xorrisofs arguments); the staged files are removed. */
export async function writeCloudInitIso(disk: CloudInitDisk, logger: Logger): Promise<{ isoPath: string; ms: number }> {
  try {
    return await write(disk, logger);
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const detail = (e.stderr || e.message).trim().split('\n').at(-1) ?? '';
    throw new Error(`cloud-init volume "${disk.volumeName}": the ${disk.label} disk cannot be written: ${detail}`, { cause: err });
  }
}

async function write(disk: CloudInitDisk, logger: Logger): Promise<{ isoPath: string; ms: number }> {
  const t0 = performance.now();
  const dir = dirname(disk.isoPath);
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const staging = await mkdtemp(join(dir, '.staging-'));
  try {
    for (const [path, content] of Object.entries(disk.files)) {
      const file = join(staging, path);
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      // The user data may hold secrets: readable by the launcher (root) only.
      await writeFile(file, content, { mode: 0o600 });
    }
    await rm(disk.isoPath, { force: true });
    await run('xorrisofs', ['-output', disk.isoPath, '-volid', disk.label, '-joliet', '-rock', '-partition_cyl_align', 'on', staging], {
      timeout: 10_000,
    }).catch((err: { stderr?: string; message: string }) => {
      throw new Error(`cloud-init volume "${disk.volumeName}": xorrisofs failed: ${(err.stderr || err.message).trim().split('\n').at(-1) ?? ''}`, {
        cause: err,
      });
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const report = { volumeName: disk.volumeName, label: disk.label, isoPath: disk.isoPath, ms: Math.round(performance.now() - t0) };
  logger.info(report, 'cloud-init disk written');
  return report;
}
