// virt-api composition root: dispatch to a subcommand. `serve` (the webhook server) is the default;
// `validate` is the offline admission check. Each subcommand is loaded on use, so the CLI does not
// pay for (or depend on) the server's modules.
import { nodeCliIo } from './manifests/cli-io.js';

const serve = async (args: string[]): Promise<number> => (await import('./commands/serve.command.js')).runServeCommand(args, process.env);

const [sub, ...rest] = process.argv.slice(2);

async function main(): Promise<number> {
  if (sub === undefined || sub.startsWith('-')) return serve(process.argv.slice(2));
  if (sub === 'serve') return serve(rest);
  if (sub === 'validate') return (await import('./commands/validate.command.js')).runValidateCommand(rest, nodeCliIo());
  process.stderr.write(`virt-api: unknown command ${JSON.stringify(sub)} (expected serve or validate)\n`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`virt-api: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
