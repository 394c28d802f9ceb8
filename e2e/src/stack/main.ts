// The local stack's command line (scripts/up.sh, scripts/down.sh run it after setup):
//   up [--no-examples]   start the stack (or find it running), apply the examples, print how to use it
//   down                 stop everything `up` started and check nothing is left
//   status               say whether a stack is running
// Composition root: the only file here that reads argv/env.
import { mkdir, symlink, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';
import { stopStack } from './down.js';
import { applyExamples, printSummary } from './examples.js';
import { stackLayout } from './stack-layout.js';
import { stackStatus } from './stack-status.js';
import { runKubectlFor } from './stack-kubectl.js';
import { StepError } from './steps.js';
import { startStack } from './up.js';

const layout = stackLayout(repoRoot());
const out = { write: (t: string) => void process.stdout.write(t) };
const [cmd, ...rest] = process.argv.slice(2);

async function up(): Promise<void> {
  const t0 = Date.now();
  const status = await stackStatus(layout);
  if (status.kind === 'running') {
    out.write(`A stack is already running (started ${status.state.startedAt}); nothing to do. \`npm run down\` stops it.\n\n`);
    out.write(await runKubectlFor(status.state.binDir, layout.kubeconfig)(['get', 'vmi', '-A', '-o', 'wide']).catch((e: Error) => `${e.message}\n`));
  } else {
    if (status.kind === 'broken') {
      out.write(`Found a stack that is not (fully) running (${status.why}); stopping it first.\n`);
      await stopStack(layout, out);
    }
    const { admin, state } = await startStack({ layout, out });
    const kubectl = runKubectlFor(state.binDir, layout.kubeconfig);
    await mkdir(join(layout.root, 'bin'), { recursive: true });
    await rm(join(layout.root, 'bin', 'kubectl'), { force: true });
    await symlink(join(state.binDir, 'kubectl'), join(layout.root, 'bin', 'kubectl'));
    if (!rest.includes('--no-examples')) {
      await applyExamples(layout, out, admin, kubectl);
      await printSummary(layout, out, admin, kubectl);
    }
    await admin.close();
  }
  out.write(`\nStack up in ${((Date.now() - t0) / 1000).toFixed(0)}s. Logs: ${layout.logs}/\n`);
  out.write(
    `  export KUBECONFIG=${layout.kubeconfig}\n  export PATH=${join(layout.root, 'bin')}:$PATH   # kubectl matching the API server\n  kubectl get vmi\n`,
  );
}

async function down(): Promise<void> {
  const t0 = Date.now();
  const r = await stopStack(layout, out);
  out.write(`Stopped ${r.stopped.length} processes in ${((Date.now() - t0) / 1000).toFixed(0)}s${r.stopped.length ? `: ${r.stopped.join(', ')}` : ''}.\n`);
  if (r.leftovers.length > 0) {
    out.write(`LEFT BEHIND:\n  ${r.leftovers.join('\n  ')}\n`);
    process.exitCode = 1;
  } else out.write('Nothing left behind (no process, container, mount, network namespace, cgroup or iptables chain; sysctls as they were).\n');
}

async function status(): Promise<void> {
  const s = await stackStatus(layout);
  out.write(
    s.kind === 'running'
      ? `running since ${s.state.startedAt}; export KUBECONFIG=${layout.kubeconfig}\n`
      : s.kind === 'broken'
        ? `broken: ${s.why}\n`
        : 'no stack\n',
  );
  process.exitCode = s.kind === 'running' ? 0 : 1;
}

const commands: Record<string, () => Promise<void>> = { up, down, status };
const run = cmd !== undefined ? commands[cmd] : undefined;
if (!run) {
  process.stderr.write('usage: stack up [--no-examples] | down | status\n');
  process.exit(2);
}
try {
  await run();
} catch (err) {
  process.stderr.write(`\n${err instanceof StepError ? err.message : ((err as Error).stack ?? String(err))}\n`);
  process.exitCode = 1;
}
// Started processes are unref'd; pooled HTTP connections must not keep us waiting.
process.exit(process.exitCode ?? 0);
