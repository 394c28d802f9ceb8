// The local stack for other workspaces (the density bench): find or start it, stop what you started.
export { stackLayout, DEFAULT_PORTS, STACK_NODE_NAME, type StackLayout, type StackPorts } from './stack-layout.js';
export { stackStatus, type StackStatus } from './stack-status.js';
export { startStack, type RunningStack } from './up.js';
export { stopStack, type DownResult } from './down.js';
export { readStackState, type StackState } from './stack-state.js';
export { readPidFiles, isAlive } from './stack-process.js';
export { repoRoot } from './repo-root.js';
export { runKubectlFor } from './stack-kubectl.js';
export { NODE_NETWORK } from './node/node-network.js';
export { nodePaths, type NodePaths } from './node/node-paths.js';
