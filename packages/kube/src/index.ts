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
export { WorkQueue, type WorkQueueOptions } from './work-queue.js';
export { ItemExponentialRateLimiter, BucketRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';
export { runWorkers, TerminalError, type ReconcileResult, type RunWorkersOptions } from './workers.js';
export { LeaderElector, type LeaderElectorOptions, type LeaderElectionOutcome } from './leader-election.js';
export { decideLease, desiredLease, leaseRecord, microTime, type Lease, type LeaseAction, type LeaseObservation } from './lease.js';
export { updateStatus, patchStatus, StatusConflictError, type UpdateStatusOptions, type PatchStatusOptions } from './status.js';
export {
  ClusterConfigSource,
  type ClusterConfigSourceOptions,
  type ClusterConfigWatch,
  type ClusterConfigInformers,
  type ConfigInformer,
  type ConfigMapLike,
} from './cluster-config-source.js';
export { EventRecorder, type EventRecorderOptions, type EventType } from './events.js';
export { startMetricsServer, type MetricsServer, type MetricsServerOptions, type Probe } from './metrics-server.js';
export { silentLogger, errFields, type Logger } from './logger.js';
export type { KubeObject, KubeList } from './object.js';
export type { Pod, PodList, PodSpec, PodStatus, PodCondition, Container, ContainerStatus, ContainerStateTerminated, EnvVar, Volume, VolumeMount, Affinity } from './core-v1.js';
export { OwnStatusWrites } from './own-status-writes.js';
