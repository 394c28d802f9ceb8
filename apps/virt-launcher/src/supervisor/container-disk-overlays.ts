// The launcher's side of containerDisks (ADR 0014): each image is mounted read only in the pod
// (a Kubernetes image volume); the guest writes to a qcow2 overlay in the pod's emptyDir, made
// here before the launcher says it is ready, so the handler never defines a domain without it.
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { ImageVolumePaths, pathInImage, type ContainerDiskOverlay, type EmptyDisk } from '@qvirt/api';
import type { Logger } from '@qvirt/log';

const run = promisify(execFile);

/** A containerDisk that cannot be used; the message names the volume and why (it ends up in the VMI's status). */
export class ContainerDiskError extends Error {
  override readonly name = 'ContainerDiskError';
}

/**
 * The disk file of an image: `path` when given, else the one file under /disk/, with KubeVirt's
 * messages (its container-disk GetImage) when there is none or more than one.
 */
export async function diskFileOf(disk: ContainerDiskOverlay): Promise<string> {
  if (disk.path !== undefined) return pathInImage(disk.mountDir, disk.path);
  const dir = pathInImage(disk.mountDir, ImageVolumePaths.diskDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new ContainerDiskError(`failed to check default image path ${ImageVolumePaths.diskDir}: ${(err as Error).message}`, { cause: err });
  }
  if (names.length === 0) throw new ContainerDiskError(`no file found in folder ${ImageVolumePaths.diskDir}, no disk present`);
  if (names.length > 1) throw new ContainerDiskError(`more than one file found in folder ${ImageVolumePaths.diskDir}, only one disk is allowed`);
  return `${dir}/${names[0]!}`;
}

/** qcow2 or raw, as qemu-img reads the file (never trusting the file name). */
async function formatOf(file: string): Promise<'qcow2' | 'raw'> {
  const { stdout } = await run('qemu-img', ['info', '--output=json', '-U', file]);
  const format = (JSON.parse(stdout) as { format?: unknown }).format;
  if (format !== 'qcow2' && format !== 'raw') throw new ContainerDiskError(`${file}: format ${JSON.stringify(format)} is not qcow2 or raw`);
  return format;
}

export interface OverlayReport {
  volumeName: string;
  backingFile: string;
  backingFormat: 'qcow2' | 'raw';
  overlayPath: string;
  ms: number;
}

/** Makes every overlay afresh (a leftover from an earlier launcher would carry its writes). */
export async function makeContainerDiskOverlays(disks: readonly ContainerDiskOverlay[], logger: Logger): Promise<OverlayReport[]> {
  const reports: OverlayReport[] = [];
  for (const disk of disks) {
    const t0 = performance.now();
    const where = `containerDisk volume "${disk.volumeName}"`;
    try {
      const backingFile = await diskFileOf(disk);
      const info = await stat(backingFile).catch((err: unknown) => {
        throw new ContainerDiskError(`disk file ${disk.path ?? backingFile} not found in the image: ${(err as Error).message}`, { cause: err });
      });
      if (!info.isFile()) throw new ContainerDiskError(`${disk.path ?? backingFile} in the image is not a file`);
      const backingFormat = await formatOf(backingFile);
      await mkdir(dirname(disk.overlayPath), { recursive: true, mode: 0o750 });
      await rm(disk.overlayPath, { force: true });
      await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', backingFormat, '-b', backingFile, disk.overlayPath]);
      const report = { volumeName: disk.volumeName, backingFile, backingFormat, overlayPath: disk.overlayPath, ms: Math.round(performance.now() - t0) };
      logger.info(report, 'containerDisk overlay created');
      reports.push(report);
    } catch (err) {
      const detail = err instanceof ContainerDiskError ? err.message : `${(err as Error).message}`.trim();
      throw new ContainerDiskError(`${where}: ${detail}`, { cause: err });
    }
  }
  return reports;
}

/** Makes each emptyDisk afresh: a blank qcow2 of its capacity (sparse: it takes space as the guest writes). */
export async function makeEmptyDisks(disks: readonly EmptyDisk[], logger: Logger): Promise<void> {
  for (const disk of disks) {
    try {
      await mkdir(dirname(disk.path), { recursive: true, mode: 0o750 });
      await rm(disk.path, { force: true });
      await run('qemu-img', ['create', '-q', '-f', 'qcow2', disk.path, String(disk.capacityBytes)]);
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`emptyDisk volume "${disk.volumeName}": ${(e.stderr || e.message).trim()}`, { cause: err });
    }
    logger.info({ volumeName: disk.volumeName, path: disk.path, capacityBytes: disk.capacityBytes }, 'emptyDisk created');
  }
}

/**
 * Creates each DiskOrCreate hostDisk that is missing (or empty) with its capacity, as a sparse raw
 * file, as KubeVirt creates a missing disk image; a file with data is left as it is.
 */
export async function sizeHostDisks(disks: readonly EmptyDisk[], logger: Logger): Promise<void> {
  for (const disk of disks) {
    try {
      const info = await stat(disk.path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
      if (info !== undefined && !info.isFile()) throw new Error(`${disk.path} is not a file`);
      if (info !== undefined && info.size > 0) continue;
      if (info === undefined) await writeFile(disk.path, '', { flag: 'wx', mode: 0o660 });
      await truncate(disk.path, disk.capacityBytes);
    } catch (err) {
      throw new Error(`hostDisk volume "${disk.volumeName}": ${(err as Error).message}`, { cause: err });
    }
    logger.info({ volumeName: disk.volumeName, path: disk.path, capacityBytes: disk.capacityBytes }, 'hostDisk created');
  }
}
