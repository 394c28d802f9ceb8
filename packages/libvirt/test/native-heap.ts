// Test helper: glibc's mallinfo2() (all arenas) to see native leaks that RSS would hide, and a
// real GC so JS garbage does not count.
import koffi from 'koffi';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const libc = koffi.load('libc.so.6');
const Mallinfo2 = koffi.struct('mallinfo2', {
  arena: 'size_t',
  ordblks: 'size_t',
  smblks: 'size_t',
  hblks: 'size_t',
  hblkhd: 'size_t',
  usmblks: 'size_t',
  fsmblks: 'size_t',
  uordblks: 'size_t',
  fordblks: 'size_t',
  keepcost: 'size_t',
});
const mallinfo2 = libc.func('mallinfo2', Mallinfo2, []);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** Bytes malloc'ed and not freed (uordblks + hblkhd). */
  nativeInUse: number;
}

export async function sampleMemory(): Promise<MemorySample> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  const m = mallinfo2() as { uordblks: number | bigint; hblkhd: number | bigint };
  const mu = process.memoryUsage();
  return { rss: mu.rss, heapUsed: mu.heapUsed, nativeInUse: Number(m.uordblks) + Number(m.hblkhd) };
}
