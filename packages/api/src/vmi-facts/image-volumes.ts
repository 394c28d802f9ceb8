import type { PullPolicy, VirtualMachineInstance } from '../types/vmi.js';
import { envJsonList } from './env-json.js';

/**
 * Where the launcher sees images and their ephemeral disks: KubeVirt's ImageVolume layout. Each
 * containerDisk and the kernelBoot container are Kubernetes image volumes of the launcher pod,
 * mounted read only; a containerDisk's writes go to a qcow2 overlay in the pod's emptyDir (ADR 0014).
 */
export const ImageVolumePaths = {
  /** `<root>/disk_<volume index>`: a containerDisk image (its disk under `disk/`). */
  root: '/var/run/kubevirt-image-volume',
  /** The kernelBoot container's image. */
  kernelBoot: '/var/run/kubevirt-kernel-boot',
  /** emptyDir of the overlays: `<ephemeral>/disk-data/<volume name>/disk.qcow2`. */
  ephemeral: '/var/run/kubevirt-ephemeral-disks',
  /** Where KubeVirt's containerDisk images keep their one disk file. */
  diskDir: '/disk',
} as const;

/** One containerDisk volume, as the pod, the launcher and the domain all see it. */
export interface ContainerDiskFacts {
  volumeName: string;
  volumeIndex: number;
  image: string;
  imagePullPolicy: PullPolicy;
  imagePullSecret?: string;
  /** `containerDisk.path`: the disk file in the image; absent = the one file under /disk/. */
  path?: string;
  /** Name of the launcher pod's image volume. */
  podVolumeName: string;
  /** Where the compute container mounts the image. */
  mountDir: string;
  /** The qcow2 overlay the guest writes to, backed by the image's disk. */
  overlayPath: string;
}

export interface KernelBootImageFacts {
  image: string;
  imagePullPolicy: PullPolicy;
  imagePullSecret?: string;
  podVolumeName: string;
  mountDir: string;
  /** Paths inside the image, as the manifest gives them (absolute). */
  kernelPath?: string;
  initrdPath?: string;
}

const PULL_POLICIES: readonly string[] = ['Always', 'IfNotPresent', 'Never'];

/**
 * KubeVirt's default pull policy for an image (its setDefaultPullPoliciesOnContainerDisks):
 * `Always` for `:latest` or an image with neither tag nor digest, else `IfNotPresent`.
 */
export function defaultPullPolicy(image: string): PullPolicy {
  return image.endsWith(':latest') || !/[:@]/.test(image) ? 'Always' : 'IfNotPresent';
}

function pullPolicy(image: string, given: unknown): PullPolicy {
  return typeof given === 'string' && PULL_POLICIES.includes(given) ? (given as PullPolicy) : defaultPullPolicy(image);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Every containerDisk volume, in spec order. Total on malformed input: entries without an image are skipped (validation reports them). */
export function containerDisks(vmi: VirtualMachineInstance): ContainerDiskFacts[] {
  const volumes: unknown = vmi.spec?.volumes;
  if (!Array.isArray(volumes)) return [];
  const facts: ContainerDiskFacts[] = [];
  volumes.forEach((volume: unknown, volumeIndex) => {
    if (typeof volume !== 'object' || volume === null) return;
    const { name, containerDisk } = volume as { name?: unknown; containerDisk?: Record<string, unknown> };
    const image = nonEmpty(containerDisk?.image);
    if (typeof name !== 'string' || image === undefined) return;
    const path = nonEmpty(containerDisk?.path);
    const secret = nonEmpty(containerDisk?.imagePullSecret);
    facts.push({
      volumeName: name,
      volumeIndex,
      image,
      imagePullPolicy: pullPolicy(image, containerDisk?.imagePullPolicy),
      ...(secret ? { imagePullSecret: secret } : {}),
      ...(path ? { path } : {}),
      podVolumeName: `container-disk-${volumeIndex}`,
      mountDir: `${ImageVolumePaths.root}/disk_${volumeIndex}`,
      overlayPath: `${ImageVolumePaths.ephemeral}/disk-data/${name}/disk.qcow2`,
    });
  });
  return facts;
}

/** The kernelBoot container's image, when the VMI boots its kernel from one. */
export function kernelBootImage(vmi: VirtualMachineInstance): KernelBootImageFacts | undefined {
  const container: unknown = vmi.spec?.domain?.firmware?.kernelBoot?.container;
  if (typeof container !== 'object' || container === null) return undefined;
  const c = container as Record<string, unknown>;
  const image = nonEmpty(c.image);
  if (image === undefined) return undefined;
  const kernelPath = nonEmpty(c.kernelPath);
  const initrdPath = nonEmpty(c.initrdPath);
  const secret = nonEmpty(c.imagePullSecret);
  return {
    image,
    imagePullPolicy: pullPolicy(image, c.imagePullPolicy),
    ...(secret ? { imagePullSecret: secret } : {}),
    podVolumeName: 'kernel-boot-volume',
    mountDir: ImageVolumePaths.kernelBoot,
    ...(kernelPath ? { kernelPath } : {}),
    ...(initrdPath ? { initrdPath } : {}),
  };
}

/**
 * A path inside an image as the launcher sees it: the in-image path resolved against the image's
 * root (so `..` cannot leave it, as KubeVirt's safepath), under the image's mount dir.
 */
export function pathInImage(mountDir: string, inImagePath: string): string {
  const parts: string[] = [];
  for (const part of inImagePath.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '' && part !== '.') parts.push(part);
  }
  return [mountDir.replace(/\/+$/, ''), ...parts].join('/');
}

/** The launcher's env variable listing its containerDisks (JSON of ContainerDiskOverlay[]), set by virt-controller. */
export const CONTAINER_DISKS_ENV = 'QVIRT_CONTAINER_DISKS';

/** What the launcher needs to make one containerDisk's overlay. */
export interface ContainerDiskOverlay {
  volumeName: string;
  mountDir: string;
  path?: string;
  overlayPath: string;
}

export function containerDiskOverlays(vmi: VirtualMachineInstance): ContainerDiskOverlay[] {
  return containerDisks(vmi).map((d) => ({ volumeName: d.volumeName, mountDir: d.mountDir, ...(d.path ? { path: d.path } : {}), overlayPath: d.overlayPath }));
}

/** Reads CONTAINER_DISKS_ENV back; throws an Error that says what is wrong with it. */
export function parseContainerDiskOverlays(text: string): ContainerDiskOverlay[] {
  return envJsonList(CONTAINER_DISKS_ENV, text).map((e, i) => {
    const str = (key: string, required: boolean): string | undefined => {
      const v = e[key];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'string' || !(v.startsWith('/') || key === 'volumeName') || v === '') {
        throw new Error(`${CONTAINER_DISKS_ENV}[${i}].${key} must be ${key === 'volumeName' ? 'a name' : 'an absolute path'}`);
      }
      return v;
    };
    const path = str('path', false);
    return { volumeName: str('volumeName', true)!, mountDir: str('mountDir', true)!, ...(path ? { path } : {}), overlayPath: str('overlayPath', true)! };
  });
}
