// @qvirt/kube: the Kubernetes client, informers and their cache, API paths, status patches,
// events and the metrics server. Controller machinery is @qvirt/kube/controller; the cluster
// configuration source is @qvirt/kube/cluster-config.
export { KubeClient, resourcePath, type KubeClientOptions, type RequestOptions, type PatchType, type WatchEvent, type ResourcePath } from './kube-client.js';
export { loadKubeConfig, parseKubeConfig, type KubeConfigLike, type ClusterInfo, type UserInfo } from './kube-config.js';
export {
  KubeApiError,
  KubeTransportError,
  KubeConfigError,
  isNotFound,
  isConflict,
  isAlreadyExists,
  isForbidden,
  isGone,
  isInvalid,
  type ApiStatus,
} from './errors.js';
export { createInformer, ResilientInformer, InformerStoppedError, type InformerOptions, type InformerStats } from './informer.js';
export { ObjectStore, keyOf, objectKey, parseKey, type ObjectRef, type StoreChange } from './object-store.js';
export { ResourcePaths } from './resource-paths.js';
export { Backoff, sleep, type BackoffOptions } from './backoff.js';
export { updateStatus, patchStatus, StatusConflictError, type UpdateStatusOptions, type PatchStatusOptions } from './status.js';
export { EventRecorder, type EventRecorderOptions, type EventType } from './events.js';
export { startMetricsServer, type MetricsServer, type MetricsServerOptions, type HealthProbe } from './metrics-server.js';
export type { KubeObject, KubeList } from './object.js';
export type {
  Pod,
  PodList,
  PodSpec,
  PodStatus,
  PodCondition,
  Container,
  ContainerStatus,
  ContainerStateTerminated,
  EnvVar,
  Volume,
  VolumeMount,
  Affinity,
} from './core-v1.js';
