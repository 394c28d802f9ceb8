import type { ObjectMeta, ResourceRequirements, Toleration } from '@qvirt/api';
import type { KubeList } from './object.js';

// core/v1 objects as the API server sends them: JSON, so timestamps are RFC 3339 strings and
// quantities are strings or numbers. (client-node's models say `Date`, which is true only of
// objects that went through its ObjectSerializer; KubeClient hands out JSON.parse's result.)
// Only the fields qvirt writes or reads; add fields here when a caller needs them.

/** Passed through from a VMI's spec.affinity; qvirt never reads inside it. */
export type Affinity = Record<string, unknown>;

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string; apiVersion?: string } };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  mountPropagation?: 'None' | 'HostToContainer' | 'Bidirectional';
}

export interface Volume {
  name: string;
  hostPath?: { path: string; type?: string };
  emptyDir?: { medium?: string; sizeLimit?: string };
  /** An OCI image mounted read only (Kubernetes' image volume, GA in v1.36). */
  image?: { reference: string; pullPolicy?: 'Always' | 'IfNotPresent' | 'Never' };
}

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  resources?: ResourceRequirements;
  securityContext?: {
    privileged?: boolean;
    runAsUser?: number;
    runAsNonRoot?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
  };
  volumeMounts?: VolumeMount[];
}

export interface PodSpec {
  containers: Container[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsUser?: number; runAsNonRoot?: boolean };
  volumes?: Volume[];
  imagePullSecrets?: { name: string }[];
}

export interface PodCondition {
  type: string;
  /** 'True' | 'False' | 'Unknown' */
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
}

export interface ContainerStateTerminated {
  exitCode: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started?: boolean;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string | null };
    terminated?: ContainerStateTerminated;
  };
}

export interface PodStatus {
  /** Pending, Running, Succeeded, Failed or Unknown. */
  phase?: string;
  reason?: string;
  message?: string;
  conditions?: PodCondition[];
  containerStatuses?: ContainerStatus[];
  hostIP?: string;
  podIP?: string;
  startTime?: string;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: PodSpec;
  status?: PodStatus;
}

export type PodList = KubeList<Pod>;
