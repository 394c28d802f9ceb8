// QEMU is daemonized by libvirtd, so its parent becomes the nearest "child subreaper". In a
// launcher container nobody else would wait for it: the launcher adopts it (prctl) and reaps
// it by pid (waitpid on that pid only, so node's own children keep their exit events).
import koffi from 'koffi';

const PR_SET_CHILD_SUBREAPER = 36;
const WNOHANG = 1;

interface Libc {
  prctl: (option: number, arg2: number, arg3: number, arg4: number, arg5: number) => number;
  waitpid: (pid: number, status: null, options: number) => number;
}

let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  libc = {
    prctl: lib.func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)'),
    waitpid: lib.func('int waitpid(int pid, int *status, int options)'),
  };
  return libc;
}

/** Orphaned descendants (QEMU) re-parent to this process instead of the container's pid 1. */
export function becomeChildSubreaper(): void {
  if (load().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) !== 0) throw new Error('prctl(PR_SET_CHILD_SUBREAPER) failed');
}

/** Reaps one exited child that node did not spawn; true if it was reaped (or is not our child). */
export function reapChild(pid: number): boolean {
  return load().waitpid(pid, null, WNOHANG) !== 0;
}
