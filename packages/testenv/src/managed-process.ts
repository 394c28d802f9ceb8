import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface ManagedProcessOptions {
  /** Component name for messages, e.g. "kube-apiserver". */
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended here. */
  logPath: string;
  cwd?: string;
  /** Environment of the child; default this process's. */
  env?: Record<string, string | undefined>;
  /** Do not hold this Node process open for the child (a persistent stack outlives its starter). */
  keepRunningAfterExit?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A child process in its own process group (detached), so stopping it also stops
 * anything it forked, with its output in a log file.
 */
export class ManagedProcess {
  readonly name: string;
  readonly logPath: string;
  readonly pid: number;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  private readonly child: ChildProcess;

  constructor(opts: ManagedProcessOptions) {
    this.name = opts.name;
    this.logPath = opts.logPath;
    const fd = openSync(opts.logPath, 'a');
    try {
      this.child = spawn(opts.command, opts.args, { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      this.child.once('error', () => {
        this.exitInfo ??= { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
    if (this.child.pid === undefined) throw new Error(`${opts.name}: could not spawn ${opts.command}`);
    this.pid = this.child.pid;
    if (opts.keepRunningAfterExit) this.child.unref();
  }

  get hasExited(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** SIGTERM to the whole group, SIGKILL after graceMs; resolves once the leader has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exitInfo) {
      this.killGroup('SIGKILL'); // leftovers of the group, if any
      return;
    }
    this.killGroup('SIGTERM');
    const timer = setTimeout(() => this.killGroup('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    this.killGroup('SIGKILL');
  }

  /** Synchronous last resort (process 'exit' handler). */
  killNow(): void {
    this.killGroup('SIGKILL');
  }

  async logTail(lines = 25): Promise<string> {
    try {
      return (await readFile(this.logPath, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  private killGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // The group is gone already.
    }
  }
}
