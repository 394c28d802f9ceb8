// virt-handler composition root: parse the command line once, dispatch.
// Only this file reads process.env / process.argv.

// Each launcher's libvirt connection keeps one libuv worker busy with libvirt's event loop and
// runs its calls on others (koffi .async): size the pool before anything uses it (bin/ does too).
process.env['UV_THREADPOOL_SIZE'] ??= '16';

import { readFile } from 'node:fs/promises';
import { errFields } from '@qvirt/log';
import { parseCli, UsageError, USAGE, type RunCommand } from './commands/cli.js';
import { runDiscover } from './commands/discover.command.js';

async function runNodeDaemon(cmd: RunCommand): Promise<number> {
  // Loaded only here: discover must work without libvirt's FFI bindings.
  const [{ pino }, { runDaemon }] = await Promise.all([import('pino'), import('./commands/run.command.js')]);
  const logger = pino({ level: cmd.logLevel, base: { component: 'virt-handler', node: cmd.nodeName } });
  const daemon = await runDaemon(cmd, { logger, cpuinfo: await readFile('/proc/cpuinfo', 'utf8').catch(() => '') });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping (VMs keep running)');
      const hard = setTimeout(() => resolve(1), 15_000);
      hard.unref();
      daemon.stop().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error(errFields(err), 'stop failed');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

async function main(): Promise<number> {
  const cmd = parseCli(process.argv.slice(2), {
    QVIRT_SYSFS_ROOT: process.env['QVIRT_SYSFS_ROOT'],
    QVIRT_DEV_ROOT: process.env['QVIRT_DEV_ROOT'],
    NODE_NAME: process.env['NODE_NAME'],
    KUBECONFIG: process.env['KUBECONFIG'],
  });
  switch (cmd.mode) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'discover':
      process.stdout.write(`${JSON.stringify(await runDiscover(cmd), null, 2)}\n`);
      return 0;
    case 'run':
      return runNodeDaemon(cmd);
  }
}

main().then(
  (code) => {
    // The daemon's libvirt event loop and gRPC handles would keep a stopped process alive.
    if (code !== 0 || process.argv.slice(2)[0] !== 'discover') process.exit(code);
    process.exitCode = code;
  },
  (err: unknown) => {
    // One line on stderr: bad arguments exit 2, anything else 1.
    const usage = err instanceof UsageError || (err instanceof Error && err.name === 'KubeConfigError');
    const msg = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
    const code = usage ? 2 : 1;
    // Exit once written: a half-started daemon holds handles that would keep the process up.
    process.stderr.write(`virt-handler: ${msg}${usage ? ' (see virt-handler --help)' : ''}\n`, () => process.exit(code));
  },
);
