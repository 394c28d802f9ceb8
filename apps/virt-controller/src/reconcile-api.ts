// The controller's pure decision functions, for benches and other tools (no I/O here).
export { renderLauncherPod, launcherPodName, launcherPodSuffix, type LauncherPodInputs } from './vmi/launcher-pod.renderer.js';
export { launcherResources, memoryOverheadBytes, notPermittedDevices, deviceRequests, type KvmMode } from './vmi/launcher-resources.js';
export { planVmiSync, type VmiSyncPlan } from './vmi/vmi-sync.plan.js';
export { desiredVmiStatus, phaseFromPod, statusPatch, type PodObservation } from './vmi/vmi-status.js';
export { decideVmAction, desiredVmStatus, effectiveRunStrategy, vmiFromTemplate, type VmAction } from './vm/vm-run-strategy.js';
export { LauncherPodRenderError } from './vmi/render-errors.js';
