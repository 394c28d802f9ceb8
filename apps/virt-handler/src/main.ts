// virt-handler composition root: parse the command line once, dispatch.
// Only this file reads process.env / process.argv.
import { parseCli, UsageError, USAGE } from './cli.js';
import { runDiscover } from './discover-command.js';

async function main(): Promise<number> {
  const cmd = parseCli(process.argv.slice(2), { QVIRT_SYSFS_ROOT: process.env['QVIRT_SYSFS_ROOT'], QVIRT_DEV_ROOT: process.env['QVIRT_DEV_ROOT'] });
  switch (cmd.mode) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'discover':
      process.stdout.write(`${JSON.stringify(await runDiscover(cmd), null, 2)}\n`);
      return 0;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // One line on stderr: bad arguments exit 2, anything else 1.
    const usage = err instanceof UsageError;
    const msg = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`virt-handler: ${msg}${usage ? ' (see virt-handler --help)' : ''}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
