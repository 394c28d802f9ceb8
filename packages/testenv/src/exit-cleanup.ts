import { spawn } from 'node:child_process';

/** Something that must be torn down synchronously if the process exits without stop(). */
export interface ExitCleanup {
  killNow(): void;
}

const live = new Set<ExitCleanup>();
let installed = false;

function killAll(): void {
  for (const c of live) {
    try {
      c.killNow();
    } catch {
      // Best effort while exiting.
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  process.removeListener(signal, onSignal);
  // Restore the default behaviour (terminate) unless someone else handles the signal.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/** Registers c for teardown on process exit, SIGINT and SIGTERM; returns the unregister function. */
export function cleanupOnExit(c: ExitCleanup): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', killAll);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  live.add(c);
  return () => live.delete(c);
}

const WATCHDOG = `
parent=$1 dir=$2
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
if [ -f "$dir/.pgids" ]; then for g in $(cat "$dir/.pgids"); do kill -KILL "-$g" 2>/dev/null; done; fi
rm -rf -- "$dir"
`;

/**
 * For deaths no handler sees (SIGKILL, a killed test worker): a detached shell that
 * waits for this process to go away, then kills the process groups listed in
 * <dir>/.pgids and removes dir. Returns its pid (its own process group).
 */
export function startWatchdog(dir: string): number {
  const child = spawn('sh', ['-c', WATCHDOG, 'qvirt-testenv-watchdog', String(process.pid), dir], { detached: true, stdio: 'ignore' });
  child.unref();
  if (child.pid === undefined) throw new Error('could not spawn the testenv watchdog shell');
  return child.pid;
}
