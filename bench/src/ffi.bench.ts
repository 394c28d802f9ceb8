// libvirt call overhead: the same trivial libvirt C call (virGetLastErrorCode, no arguments, no
// side effects) through koffi, which @qvirt/libvirt uses, and through the @2060.io/ffi-napi fork
// (ffi-napi itself does not build on Node 20; ADR 0001), measured in the same run.
import { createRequire } from 'node:module';
import koffi from 'koffi';
import { figure, throughput, type BenchFigure } from './figure.js';

const LIBVIRT = 'libvirt.so.0';

interface FfiNapi {
  Library(name: string, fns: Record<string, [string, string[]]>): Record<string, () => number>;
}

/** The optional ffi-napi fork, or the reason it cannot be loaded here (it is a native build). */
function loadFfiNapi(): FfiNapi | Error {
  try {
    return createRequire(import.meta.url)('@2060.io/ffi-napi') as FfiNapi;
  } catch (err) {
    return err as Error;
  }
}

export async function benchFfi(): Promise<BenchFigure[]> {
  const viaKoffi = koffi.load(LIBVIRT).func('int virGetLastErrorCode()') as () => number;
  const ffi = loadFfiNapi();
  if (ffi instanceof Error) throw new Error(`@2060.io/ffi-napi is not available on this machine (${ffi.message.split('\n')[0]}); no baseline to compare with`);
  const viaFfiNapi = ffi.Library(LIBVIRT, { virGetLastErrorCode: ['int', []] }).virGetLastErrorCode!;
  if (viaKoffi() !== viaFfiNapi()) throw new Error('ffi bench: the two bindings disagree on virGetLastErrorCode()');
  // Alternate rounds so both see the same machine load; keep each side's best.
  let koffiOps = 0;
  let napiOps = 0;
  for (let round = 0; round < 3; round++) {
    koffiOps = Math.max(koffiOps, throughput(viaKoffi, 500));
    napiOps = Math.max(napiOps, throughput(viaFfiNapi, 500));
  }
  const note = 'virGetLastErrorCode() through each binding, best of 3 alternating 0.5 s rounds';
  return [
    figure('libvirt call via koffi', 1e6 / koffiOps, 'µs/call (lower is better)', 1e6 / napiOps, `${note}; baseline = @2060.io/ffi-napi`),
    figure('libvirt calls/s via koffi vs ffi-napi', koffiOps, 'calls/s (higher is better)', napiOps, note),
  ];
}
