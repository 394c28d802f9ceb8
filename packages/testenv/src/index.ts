export { startControlPlane, type ControlPlane, type ControlPlaneOptions } from './control-plane.js';
export { kubeBinDir, KUBE_BINARIES, type KubeBinary } from './kube-bin.js';
export { renderKubeconfig, writeKubeconfig, type KubeconfigSpec, type KubeconfigUser } from './kubeconfig-file.js';
export type { KubectlOptions, KubectlResult } from './kubectl.js';
export { ControlPlaneStartError, KubeBinError, TestEnvInputError } from './errors.js';
