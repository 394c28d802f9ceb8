// Small /proc readers shared by the two ways of running a VM's daemons.
import { readFileSync } from 'node:fs';

/** Direct children of a process (empty when it is gone). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Every descendant of a process, children before grandchildren. */
export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  for (let queue = childrenOf(pid); queue.length > 0;) {
    const next = queue.shift()!;
    out.push(next);
    queue.push(...childrenOf(next));
  }
  return out;
}

export function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** /proc/<pid>/stat fields after the command name: [state, ppid, pgrp, session, ...]; [] if gone. */
function statFields(pid: number): string[] {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return [];
  }
}

/** True for a zombie (exited, not yet reaped) or a process that is gone. */
export function isDeadOrZombie(pid: number): boolean {
  const state = statFields(pid)[0];
  return state === undefined || state === 'Z';
}

/** The session a process belongs to (readable for zombies too), or undefined if it is gone. */
export function sessionOf(pid: number): number | undefined {
  const session = statFields(pid)[3];
  return session === undefined ? undefined : Number(session);
}

/** Whether this process holds a capability in its effective set (CAP_SYS_ADMIN is 21). */
export function hasEffectiveCapability(cap: number, pid: number | 'self' = 'self'): boolean {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return hex !== undefined && ((BigInt(`0x${hex}`) >> BigInt(cap)) & 1n) === 1n;
}

export const CAP_SYS_ADMIN = 21;

export function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
