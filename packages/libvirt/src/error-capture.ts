// Reading libvirt's error after a failed call, correctly across threads.
//
// libvirt keeps "the last error" per thread, but koffi's `.async` runs each call on whichever
// libuv worker is free, so a later virGetLastError() may run on another thread and read
// nothing or someone else's error. Two facts make it correct anyway:
//  - every public API that fails on a connection copies the thread's error into that
//    connection (virDispatchError -> conn->err). We run the calls of one connection one at a
//    time (call-queue.ts), reset conn->err before each call and copy it out with
//    virConnCopyLastError right after a failure: no other call on that connection can have
//    touched it in between.
//  - a failed virConnectOpen has no connection. For those, a process-wide error handler
//    (virSetErrorFunc) runs inside the failing call on the worker thread itself; koffi hands
//    it to the JS thread while the worker waits, so the copy is taken before the call returns.
//    Opens are serialized too, so the last error seen during an open is that open's error.
// The handler also keeps libvirt from printing every error to stderr (its default).
import { loadNative, decodeStruct, registerCallback, type Ptr } from './native.js';
import type { RawLibvirtError } from './libvirt-error.js';

interface DecodedVirError {
  code: number;
  domain: number;
  message: string | null;
  level: number;
}

let handlerInstalled = false;
let lastUnbound: { seq: number; error: RawLibvirtError } | null = null;
let seq = 0;

function toRaw(e: DecodedVirError): RawLibvirtError {
  return { code: e.code, domain: e.domain, message: e.message, level: e.level };
}

/** Installs the process-wide error handler once. */
export function installErrorHandler(): void {
  if (handlerInstalled) return;
  const n = loadNative();
  const handler = registerCallback((_userData: never, errPtr: never) => {
    const ptr = errPtr as unknown as Ptr | null;
    if (!ptr) return;
    lastUnbound = { seq: ++seq, error: toRaw(decodeStruct<DecodedVirError>(ptr, n.virError)) };
  }, n.errorFuncPtr);
  n.virSetErrorFunc(null, handler);
  handlerInstalled = true;
}

/** A marker to pass to `unboundErrorSince` after the call. */
export function errorMark(): number {
  return seq;
}

/** The last error the process-wide handler saw after `mark`, if any. */
export function unboundErrorSince(mark: number): RawLibvirtError | null {
  return lastUnbound && lastUnbound.seq > mark ? lastUnbound.error : null;
}

/** Clears the connection's stored error so a later read cannot return a stale one. */
export function resetConnError(conn: Ptr): void {
  loadNative().virConnResetLastError(conn);
}

/** Copies the connection's stored error (set by the failed call) and frees libvirt's copies. */
export function readConnError(conn: Ptr): RawLibvirtError | null {
  const n = loadNative();
  const buf = Buffer.alloc(n.virErrorSize);
  const code = n.virConnCopyLastError(conn, buf) as number;
  if (code <= 0) return null;
  const raw = toRaw(decodeStruct<DecodedVirError>(buf, n.virError));
  n.virResetError(buf); // frees the strdup'd message/str1..3 inside buf
  return raw;
}
