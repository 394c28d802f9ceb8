// Progress of `up`/`down` as steps with elapsed time, like scripts/lib/common.sh's run_step: a
// failing step names itself and the log to read.

export class StepError extends Error {
  override readonly name = 'StepError';
  constructor(
    readonly step: string,
    readonly logPath: string | undefined,
    cause: unknown,
  ) {
    super(`step '${step}' failed: ${cause instanceof Error ? cause.message : String(cause)}${logPath ? `\n    its log is ${logPath}` : ''}`);
  }
}

export interface StepPrinter {
  write(text: string): void;
}

/** Runs fn as one step; `log` is the file to point at when it fails. */
export async function step<T>(out: StepPrinter, name: string, log: string | undefined, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  out.write(`==> ${name} ... `);
  try {
    const v = await fn();
    out.write(`done (${((Date.now() - t0) / 1000).toFixed(1)}s)\n`);
    return v;
  } catch (err) {
    out.write(`FAILED (${((Date.now() - t0) / 1000).toFixed(1)}s)\n`);
    if (err instanceof StepError) throw err;
    throw new StepError(name, log, err);
  }
}
