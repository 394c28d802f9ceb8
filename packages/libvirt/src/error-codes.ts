// virErrorNumber / virErrorDomain values (libvirt's include/libvirt/virterror.h; stable ABI).
// Only the codes callers branch on get names; any other number is kept as-is.

export const ErrorCode = {
  OK: 0,
  INTERNAL_ERROR: 1,
  NO_MEMORY: 2,
  NO_SUPPORT: 3,
  NO_CONNECT: 5,
  INVALID_CONN: 6,
  INVALID_DOMAIN: 7,
  INVALID_ARG: 8,
  OPERATION_FAILED: 9,
  XML_ERROR: 27,
  XML_DETAIL: 35,
  DOM_EXIST: 28,
  OPERATION_DENIED: 29,
  SYSTEM_ERROR: 38,
  RPC: 39,
  NO_DOMAIN: 42,
  NO_NETWORK: 43,
  AUTH_FAILED: 45,
  NO_STORAGE_POOL: 49,
  NO_STORAGE_VOL: 50,
  NO_NODE_DEVICE: 53,
  OPERATION_INVALID: 55,
  NO_SECRET: 66,
  CONFIG_UNSUPPORTED: 67,
  OPERATION_TIMEOUT: 68,
  NO_DOMAIN_SNAPSHOT: 72,
  ARGUMENT_UNSUPPORTED: 74,
  OPERATION_ABORTED: 78,
  NO_DOMAIN_METADATA: 80,
  OPERATION_UNSUPPORTED: 84,
  AGENT_UNRESPONSIVE: 86,
  RESOURCE_BUSY: 87,
  ACCESS_DENIED: 88,
  XML_INVALID_SCHEMA: 92,
  NO_SERVER: 95,
  NO_CLIENT: 96,
  DEVICE_MISSING: 99,
  NO_DOMAIN_CHECKPOINT: 103,
  NO_DOMAIN_BACKUP: 104,
  NO_HOSTNAME: 108,
  MULTIPLE_DOMAINS: 110,
} as const;

export const ErrorDomain = {
  NONE: 0,
  XML: 5,
  DOM: 6,
  RPC: 7,
  CONF: 9,
  QEMU: 10,
  TEST: 12,
  REMOTE: 13,
  DOMAIN: 20,
  SECURITY: 24,
  EVENT: 40,
  URI: 45,
  AUTH: 46,
  DEVICE: 49,
  CGROUP: 54,
  ACCESS: 55,
  THREAD: 61,
  LOGGING: 63,
} as const;

export type ErrorLevel = 'none' | 'warning' | 'error';

const codeNames = new Map<number, string>(Object.entries(ErrorCode).map(([k, v]) => [v, `VIR_ERR_${k}`]));
const domainNames = new Map<number, string>(Object.entries(ErrorDomain).map(([k, v]) => [v, `VIR_FROM_${k}`]));

/** `VIR_ERR_NO_DOMAIN` for 42; `VIR_ERR_<n>` for codes without a name here. */
export function errorCodeName(code: number): string {
  return codeNames.get(code) ?? `VIR_ERR_${code}`;
}

export function errorDomainName(domain: number): string {
  return domainNames.get(domain) ?? `VIR_FROM_${domain}`;
}

export function errorLevel(level: number): ErrorLevel {
  return level === 1 ? 'warning' : level === 0 ? 'none' : 'error';
}
