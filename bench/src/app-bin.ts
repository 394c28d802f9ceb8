import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root: benches read examples/ and deploy/ from it, never another workspace's files. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * An app's command as npm links it (`node_modules/.bin/<name>`, its package's `bin`), so a bench
 * runs the built app the way `npx <name>` does. `npm run bench` builds first.
 */
export function appBin(name: 'virt-api' | 'virt-controller' | 'virt-handler' | 'virt-launcher'): string {
  const bin = `${REPO_ROOT}node_modules/.bin/${name}`;
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm install, then npm run build`);
  return bin;
}
