// Started as its own process by persistent.int.test.ts: starts a persistent control plane in
// argv[2], prints its server URL and exits (the control plane must outlive it).
import { startControlPlane } from '../src/index.js';

const cp = await startControlPlane({ persistent: { stateDir: process.argv[2]! } });
process.stdout.write(`${JSON.stringify({ server: cp.server, pids: cp.pids, kubeconfig: cp.kubeconfigPath })}\n`);
