import { readFileSync } from 'node:fs';

/** True while pid is a live (non-zombie) process. */
export function isRunning(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until check() is true or timeoutMs passes; returns the last result. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await check().catch(() => undefined);
    if (r !== undefined && r !== false) return r;
    if (Date.now() > deadline) return undefined;
    await new Promise((res) => setTimeout(res, 250));
  }
}
