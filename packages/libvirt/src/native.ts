// The libvirt C API as koffi sees it. Loaded lazily on first use so the pure parts of this
// package (error/state mapping, config rendering) work on machines without libvirt.so.0.
// Pointers are koffi 3 BigInts; NULL comes back as null.
import koffi from 'koffi';
import type { LibraryHandle, TypeObject } from 'koffi';

export type Ptr = bigint;

type Fn = ReturnType<LibraryHandle['func']>;

export interface Native {
  readonly virError: TypeObject;
  readonly virErrorSize: number;
  readonly errorFuncPtr: TypeObject;
  readonly timeoutCbPtr: TypeObject;
  readonly lifecycleCbPtr: TypeObject;
  readonly closeCbPtr: TypeObject;
  readonly virEventRegisterDefaultImpl: Fn;
  readonly virEventRunDefaultImpl: Fn;
  readonly virEventAddTimeout: Fn;
  readonly virEventRemoveTimeout: Fn;
  readonly virSetErrorFunc: Fn;
  readonly virConnCopyLastError: Fn;
  readonly virConnResetLastError: Fn;
  readonly virResetError: Fn;
  readonly virConnectOpen: Fn;
  readonly virConnectClose: Fn;
  readonly virConnectSetKeepAlive: Fn;
  readonly virConnectIsAlive: Fn;
  readonly virConnectGetLibVersion: Fn;
  readonly virConnectRegisterCloseCallback: Fn;
  readonly virConnectUnregisterCloseCallback: Fn;
  readonly virConnectDomainEventRegisterAny: Fn;
  readonly virConnectDomainEventDeregisterAny: Fn;
  readonly virConnectListAllDomains: Fn;
  readonly virDomainDefineXML: Fn;
  readonly virDomainCreateXML: Fn;
  readonly virDomainLookupByName: Fn;
  readonly virDomainLookupByUUIDString: Fn;
  readonly virDomainCreate: Fn;
  readonly virDomainShutdown: Fn;
  readonly virDomainDestroy: Fn;
  readonly virDomainUndefine: Fn;
  readonly virDomainGetState: Fn;
  readonly virDomainGetXMLDesc: Fn;
  readonly virDomainGetName: Fn;
  readonly virDomainGetUUIDString: Fn;
  readonly virDomainFree: Fn;
}

let native: Native | undefined;

/** Loads libvirt.so.0 once per process. Throws a koffi error naming the library if it is missing. */
export function loadNative(): Native {
  if (native) return native;
  const lib = koffi.load('libvirt.so.0');
  const virError = koffi.struct('virError', {
    code: 'int',
    domain: 'int',
    message: 'char *',
    level: 'int',
    conn: 'void *',
    dom: 'void *',
    str1: 'char *',
    str2: 'char *',
    str3: 'char *',
    int1: 'int',
    int2: 'int',
    net: 'void *',
  });
  // Callback arguments that are libvirt objects stay raw pointers (BigInt).
  const errorFunc = koffi.proto('void virErrorFunc(void *userData, void *error)');
  const timeoutCb = koffi.proto('void virEventTimeoutCallback(int timer, void *opaque)');
  const lifecycleCb = koffi.proto('int virConnectDomainEventCallback(void *conn, void *dom, int event, int detail, void *opaque)');
  const closeCb = koffi.proto('void virConnectCloseFunc(void *conn, int reason, void *opaque)');
  native = {
    virError,
    virErrorSize: koffi.sizeof(virError),
    errorFuncPtr: koffi.pointer(errorFunc),
    timeoutCbPtr: koffi.pointer(timeoutCb),
    lifecycleCbPtr: koffi.pointer(lifecycleCb),
    closeCbPtr: koffi.pointer(closeCb),
    virEventRegisterDefaultImpl: lib.func('int virEventRegisterDefaultImpl(void)'),
    virEventRunDefaultImpl: lib.func('int virEventRunDefaultImpl(void)'),
    virEventAddTimeout: lib.func('virEventAddTimeout', 'int', ['int', koffi.pointer(timeoutCb), 'void *', 'void *']),
    virEventRemoveTimeout: lib.func('int virEventRemoveTimeout(int timer)'),
    virSetErrorFunc: lib.func('virSetErrorFunc', 'void', ['void *', koffi.pointer(errorFunc)]),
    virConnCopyLastError: lib.func('int virConnCopyLastError(void *conn, void *to)'),
    virConnResetLastError: lib.func('void virConnResetLastError(void *conn)'),
    virResetError: lib.func('void virResetError(void *err)'),
    virConnectOpen: lib.func('void *virConnectOpen(const char *name)'),
    virConnectClose: lib.func('int virConnectClose(void *conn)'),
    virConnectSetKeepAlive: lib.func('int virConnectSetKeepAlive(void *conn, int interval, unsigned int count)'),
    virConnectIsAlive: lib.func('int virConnectIsAlive(void *conn)'),
    virConnectGetLibVersion: lib.func('int virConnectGetLibVersion(void *conn, _Out_ unsigned long *version)'),
    virConnectRegisterCloseCallback: lib.func('virConnectRegisterCloseCallback', 'int', ['void *', koffi.pointer(closeCb), 'void *', 'void *']),
    virConnectUnregisterCloseCallback: lib.func('virConnectUnregisterCloseCallback', 'int', ['void *', koffi.pointer(closeCb)]),
    virConnectDomainEventRegisterAny: lib.func('virConnectDomainEventRegisterAny', 'int', [
      'void *',
      'void *',
      'int',
      koffi.pointer(lifecycleCb),
      'void *',
      'void *',
    ]),
    virConnectDomainEventDeregisterAny: lib.func('int virConnectDomainEventDeregisterAny(void *conn, int callbackID)'),
    virConnectListAllDomains: lib.func('int virConnectListAllDomains(void *conn, _Out_ void **domains, unsigned int flags)'),
    virDomainDefineXML: lib.func('void *virDomainDefineXML(void *conn, const char *xml)'),
    virDomainCreateXML: lib.func('void *virDomainCreateXML(void *conn, const char *xml, unsigned int flags)'),
    virDomainLookupByName: lib.func('void *virDomainLookupByName(void *conn, const char *name)'),
    virDomainLookupByUUIDString: lib.func('void *virDomainLookupByUUIDString(void *conn, const char *uuid)'),
    virDomainCreate: lib.func('int virDomainCreate(void *dom)'),
    virDomainShutdown: lib.func('int virDomainShutdown(void *dom)'),
    virDomainDestroy: lib.func('int virDomainDestroy(void *dom)'),
    virDomainUndefine: lib.func('int virDomainUndefine(void *dom)'),
    virDomainGetState: lib.func('int virDomainGetState(void *dom, _Out_ int *state, _Out_ int *reason, unsigned int flags)'),
    // str! : koffi frees the returned heap string after copying it into JS.
    virDomainGetXMLDesc: lib.func('str! virDomainGetXMLDesc(void *dom, unsigned int flags)'),
    virDomainGetName: lib.func('const char *virDomainGetName(void *dom)'),
    virDomainGetUUIDString: lib.func('int virDomainGetUUIDString(void *dom, void *buf)'),
    virDomainFree: lib.func('int virDomainFree(void *dom)'),
  };
  return native;
}

/** Runs `fn` on a koffi worker thread; the JS event loop keeps running meanwhile. */
export function callAsync<T>(fn: Fn, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn.async(...args, (err: unknown, result: T) => (err ? reject(err) : resolve(result)));
  });
}

/** Frees an array that libvirt allocated for us (virConnectListAllDomains). */
export function freeNative(ptr: Ptr): void {
  koffi.free(ptr);
}

/** Decodes `count` pointers from a native array. */
export function decodePointerArray(ptr: Ptr, count: number): Ptr[] {
  return koffi.decode(ptr, 'void *', count) as Ptr[];
}

export function decodeStruct<T>(ptr: Ptr | Buffer, type: TypeObject): T {
  return koffi.decode(ptr, type) as T;
}

export function registerCallback(fn: (...args: never[]) => unknown, type: TypeObject): Ptr {
  return koffi.register(fn, type);
}
