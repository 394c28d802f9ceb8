import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Pod, Volume, VolumeMount } from '@qvirt/kube';
import {
  Annotations,
  GROUP_VERSION,
  LabelValues,
  Labels,
  CONTAINER_DISKS_ENV,
  EMPTY_DISKS_ENV,
  HOST_DISKS_ENV,
  ImageVolumePaths,
  NodePaths,
  containerDiskOverlays,
  containerDisks,
  emptyDisks,
  gracePeriodSeconds,
  hostDisksToCreate,
  kernelBootImage,
  hasVfioDevices,
  notPermittedDevices,
  type ClusterConfig,
  type VirtualMachineInstance,
} from '@qvirt/api';
import { CLOUD_INIT_ENV, cloudInitDisk } from '@qvirt/domain';
import { launcherResources, type KvmMode } from './launcher-resources.js';
import { LauncherPodRenderError } from './render-errors.js';

export interface LauncherPodInputs {
  launcherImage: string;
  kvmMode: KvmMode;
  /** CAP_SYS_RESOURCE for VFIO launchers (default true; see the controller's --vfio-sys-resource). */
  vfioSysResource?: boolean;
  /** Merged kubevirt-config + KubeVirt CR, fetched before rendering. */
  clusterConfig: ClusterConfig;
  /** Node directory shared with virt-handler; default /var/run/kubevirt. */
  runDir?: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

/** Seconds the pod gets beyond the VMI's grace period, so the launcher's own ACPI shutdown + destroy can finish first. */
export const GRACE_PERIOD_MARGIN_SECONDS = 15;

// generateName's alphabet (no vowels, no look-alikes), as Kubernetes' rand.String.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The 5-character suffix of a launcher pod's name. It looks random like
 * generateName's, but is derived from the VMI uid: a create repeated after a
 * lost answer or a controller restart is refused with AlreadyExists instead of
 * making a second pod.
 */
export function launcherPodSuffix(vmiUid: string): string {
  const digest = createHash('sha256').update(vmiUid).digest();
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHABET[digest[i]! % ALPHABET.length];
  return s;
}

export function launcherPodName(vmi: VirtualMachineInstance): string {
  // Pod names are DNS subdomains (253); keep room for the prefix and suffix.
  return `virt-launcher-${(vmi.metadata.name ?? '').slice(0, 230)}-${launcherPodSuffix(vmi.metadata.uid ?? '')}`;
}

/**
 * The virt-launcher Pod for a VMI, like KubeVirt's TemplateService: pure, every
 * input passed in. Throws LauncherPodRenderError when the VMI cannot get a pod
 * (a device that permittedHostDevices does not permit, no memory size).
 *
 * Security: the launcher runs its own libvirtd, which KubeVirt runs as root
 * without privilege by default (non-root mode needs a session libvirt and uid
 * 107). We take the default: uid 0, privileged false, no privilege escalation,
 * NET_RAW dropped; devices arrive only through device plugins (/dev/kvm,
 * /dev/vfio/N) and no hostPath reaches /sys. SYS_RESOURCE is added only for
 * VFIO devices so the launcher can raise RLIMIT_MEMLOCK for pinned guest RAM.
 */
export function renderLauncherPod(vmi: VirtualMachineInstance, inputs: LauncherPodInputs): Pod {
  const uid = vmi.metadata.uid;
  const name = vmi.metadata.name;
  const namespace = vmi.metadata.namespace;
  if (!uid || !name || !namespace) throw new LauncherPodRenderError('InvalidVMI', 'VMI has no metadata.uid/name/namespace (not read from the API server?)');
  const denied = notPermittedDevices(vmi, inputs.clusterConfig);
  if (denied.length > 0) throw new LauncherPodRenderError('FailedCreate', denied.join(', '));

  const runDir = inputs.runDir ?? NodePaths.runDir;
  const host = hostVolumes(vmi, runDir);
  const images = imageVolumes(vmi);
  const volumes = [...host.volumes, ...images.volumes];
  const mounts = [...host.mounts, ...images.mounts];
  const grace = gracePeriodSeconds(vmi) + GRACE_PERIOD_MARGIN_SECONDS;
  const vfio = hasVfioDevices(vmi);

  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: launcherPodName(vmi),
      namespace,
      labels: {
        ...(vmi.metadata.labels ?? {}),
        [Labels.app]: LabelValues.launcher,
        [Labels.createdBy]: uid,
        [Labels.vmiName]: name.slice(0, 63),
      },
      annotations: { [Annotations.domain]: name },
      ownerReferences: [{ apiVersion: GROUP_VERSION, kind: 'VirtualMachineInstance', name, uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: grace,
      // As KubeVirt: only nodes whose virt-handler is up (it sets the label) get launchers.
      nodeSelector: { ...vmi.spec.nodeSelector, [Labels.schedulable]: 'true' },
      ...(vmi.spec.affinity ? { affinity: structuredClone(vmi.spec.affinity) } : {}),
      ...(vmi.spec.tolerations ? { tolerations: vmi.spec.tolerations.map((t) => ({ ...t })) } : {}),
      securityContext: { runAsUser: 0, runAsNonRoot: false },
      containers: [
        {
          name: 'compute',
          image: inputs.launcherImage,
          imagePullPolicy: inputs.imagePullPolicy ?? 'IfNotPresent',
          command: [
            'virt-launcher',
            '--vmi-uid',
            uid,
            '--run-dir',
            runDir,
            '--namespace',
            namespace,
            '--name',
            name,
            '--grace-period-seconds',
            String(grace - GRACE_PERIOD_MARGIN_SECONDS),
          ],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'QVIRT_KVM_MODE', value: inputs.kvmMode },
            ...images.env,
          ],
          resources: launcherResources(vmi, inputs.kvmMode),
          securityContext: {
            privileged: false,
            runAsUser: 0,
            allowPrivilegeEscalation: false,
            capabilities: { add: ['NET_BIND_SERVICE', ...(vfio && inputs.vfioSysResource !== false ? ['SYS_RESOURCE'] : [])], drop: ['NET_RAW'] },
          },
          volumeMounts: mounts,
        },
      ],
      volumes,
      ...(images.pullSecrets.length > 0 ? { imagePullSecrets: images.pullSecrets.map((name) => ({ name })) } : {}),
    },
  };
}

/**
 * containerDisks and the kernelBoot container as Kubernetes image volumes, mounted read only
 * where KubeVirt's ImageVolume mode mounts them; an emptyDir for the containerDisks' overlays and
 * the emptyDisks and the cloud-init ISO; the pull secrets they name (ADR 0014).
 */
function imageVolumes(vmi: VirtualMachineInstance): {
  volumes: Volume[];
  mounts: VolumeMount[];
  env: { name: string; value: string }[];
  pullSecrets: string[];
} {
  const volumes: Volume[] = [];
  const mounts: VolumeMount[] = [];
  const pullSecrets = new Set<string>();
  const disks = containerDisks(vmi);
  for (const d of disks) {
    volumes.push({ name: d.podVolumeName, image: { reference: d.image, pullPolicy: d.imagePullPolicy } });
    mounts.push({ name: d.podVolumeName, mountPath: d.mountDir, readOnly: true });
    if (d.imagePullSecret) pullSecrets.add(d.imagePullSecret);
  }
  const kernel = kernelBootImage(vmi);
  if (kernel) {
    volumes.push({ name: kernel.podVolumeName, image: { reference: kernel.image, pullPolicy: kernel.imagePullPolicy } });
    mounts.push({ name: kernel.podVolumeName, mountPath: kernel.mountDir, readOnly: true });
    if (kernel.imagePullSecret) pullSecrets.add(kernel.imagePullSecret);
  }
  const env: { name: string; value: string }[] = [];
  const cloudInit = cloudInitDisk(vmi);
  const empty = emptyDisks(vmi);
  if (disks.length > 0 || empty.length > 0 || cloudInit) {
    volumes.push({ name: 'ephemeral-disks', emptyDir: {} });
    mounts.push({ name: 'ephemeral-disks', mountPath: ImageVolumePaths.ephemeral });
  }
  if (disks.length > 0) env.push({ name: CONTAINER_DISKS_ENV, value: JSON.stringify(containerDiskOverlays(vmi)) });
  if (empty.length > 0) env.push({ name: EMPTY_DISKS_ENV, value: JSON.stringify(empty) });
  const hostDisks = hostDisksToCreate(vmi);
  if (hostDisks.length > 0) env.push({ name: HOST_DISKS_ENV, value: JSON.stringify(hostDisks) });
  // The launcher writes the ISO from these files (KubeVirt's launcher builds it from the VMI it is sent).
  if (cloudInit) env.push({ name: CLOUD_INIT_ENV, value: JSON.stringify(cloudInit) });
  return { volumes, mounts, env, pullSecrets: [...pullSecrets] };
}

/** The shared run dir, and host files the VMI names (kernel boot, host disks). Never /sys. */
function hostVolumes(vmi: VirtualMachineInstance, runDir: string): { volumes: Volume[]; mounts: VolumeMount[] } {
  const volumes: Volume[] = [{ name: 'kubevirt-run', hostPath: { path: runDir, type: 'DirectoryOrCreate' } }];
  const mounts: VolumeMount[] = [{ name: 'kubevirt-run', mountPath: runDir, mountPropagation: 'HostToContainer' }];
  const add = (volName: string, path: string, type: string, readOnly: boolean) => {
    if (path === '/sys' || path.startsWith('/sys/'))
      throw new LauncherPodRenderError('FailedCreate', `${path}: host paths under /sys are not mounted into launcher pods`);
    if (path === '/') throw new LauncherPodRenderError('FailedCreate', "the node's root directory is not mounted into launcher pods");
    volumes.push({ name: volName, hostPath: { path, type } });
    mounts.push({ name: volName, mountPath: path, readOnly });
  };
  const kb = vmi.spec.domain.firmware?.kernelBoot?.hostPath;
  if (kb?.kernelPath) add('kernel-boot-kernel', kb.kernelPath, 'File', true);
  if (kb?.initrdPath) add('kernel-boot-initrd', kb.initrdPath, 'File', true);
  // A DiskOrCreate disk's directory, as KubeVirt mounts it: the kubelet creates no file in a
  // missing directory (FileOrCreate), and the launcher creates the disk there with its capacity.
  const dirs = new Set<string>();
  for (const v of vmi.spec.volumes ?? []) {
    if (!v.hostDisk) continue;
    if (v.hostDisk.type !== 'DiskOrCreate') add(`hostdisk-${v.name}`.slice(0, 63), v.hostDisk.path, 'File', false);
    else {
      const dir = posix.dirname(v.hostDisk.path);
      if (!dirs.has(dir)) add(`hostdisk-${v.name}`.slice(0, 63), dir, 'DirectoryOrCreate', false);
      dirs.add(dir);
    }
  }
  return { volumes, mounts };
}
