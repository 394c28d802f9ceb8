// virt-controller's decisions: pure functions of what it observed (no I/O here).
export { renderLauncherPod, launcherPodName, launcherPodSuffix, GRACE_PERIOD_MARGIN_SECONDS, type LauncherPodInputs } from './vmi/launcher-pod.renderer.js';
export { launcherResources, type KvmMode } from './vmi/launcher-resources.js';
export { planVmiSync, type VmiSyncPlan } from './vmi/vmi-sync.plan.js';
export { desiredVmiStatus, phaseFromPod, setCondition, statusPatch, type PodObservation, type StatusInputs } from './vmi/vmi-status.js';
export {
  decideVmAction,
  desiredVmStatus,
  effectiveRunStrategy,
  vmiFromTemplate,
  vmStatusEqual,
  RunStrategyError,
  type VmAction,
} from './vm/vm-run-strategy.js';
export { LauncherPodRenderError } from './vmi/render-errors.js';
