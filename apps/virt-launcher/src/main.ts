#!/usr/bin/env node
// virt-launcher composition root: `virt-launcher render --vmi FILE` (domain XML for a manifest)
// and the in-pod mode `virt-launcher --vmi-uid UID --run-dir DIR ...` (src/supervisor/).
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { RenderCommandIo } from './commands/render.command.js';

function launcherVersion(): string {
  // ../package.json from both src/ and dist/.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  // Resolve once flushed: main() ends in process.exit, which would cut a piped write short.
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

function renderIo(): RenderCommandIo {
  return {
    env: process.env,
    readFile: (path) => readFile(path, 'utf8'),
    probeKvm: async () => ({
      cpuinfo: await readFile('/proc/cpuinfo', 'utf8').catch(() => ''),
      devKvmExists: existsSync('/dev/kvm'),
    }),
    stdout: (text) => write(process.stdout, text),
    stderr: (text) => write(process.stderr, text),
  };
}

/** Subcommands by first argument; anything else is the in-pod supervisor mode. */
const SUBCOMMANDS: Record<string, (argv: readonly string[]) => Promise<number>> = {
  // Each mode loads only its own modules: a launcher runs per VM, and what it loads stays resident.
  render: async (argv) => (await import('./commands/render.command.js')).runRenderCommand(argv, renderIo()),
};

async function main(argv: readonly string[]): Promise<number> {
  const first = argv[0];
  if (first !== undefined && Object.hasOwn(SUBCOMMANDS, first)) return SUBCOMMANDS[first]!(argv.slice(1));
  // Loaded only for the in-pod mode: render must work without libvirt's FFI bindings.
  const { supervisorMain } = await import('./commands/supervise.command.js');
  return supervisorMain({ argv, env: process.env, launcherVersion: launcherVersion() });
}

// Exit explicitly: the libvirt event loop thread and gRPC must not keep a finished launcher alive.
process.exit(await main(process.argv.slice(2)));
