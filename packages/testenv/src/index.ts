export { startControlPlane, type ControlPlane, type ControlPlaneOptions, type PersistentControlPlaneOptions } from './control-plane.js';
export { kubeBinDir, scriptBinDir, KUBE_BINARIES, type KubeBinary } from './kube-bin.js';
export { firstServiceIp } from './service-cidr.js';
export { renderKubeconfig, writeKubeconfig, type KubeconfigSpec, type KubeconfigUser } from './kubeconfig-file.js';
export type { KubectlOptions, KubectlResult } from './kubectl.js';
export { ControlPlaneStartError, KubeBinError, TestEnvInputError } from './errors.js';
export { ManagedProcess, type ManagedProcessOptions, type ExitInfo } from './managed-process.js';
export { httpGet, type ProbeTls } from './readiness.js';
