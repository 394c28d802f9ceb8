// Helpers for values that came off the wire: anything JSON (or YAML) can hold.

export type JsonRecord = Record<string, unknown>;

export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON type of a value, for "must be of type object" messages. */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/**
 * Own property only: `constructor` or `__proto__` in a manifest is data, not the prototype chain.
 * For plain objects (what JSON and YAML parsers make) everything inherited is a function, or the
 * prototype itself under `__proto__`, and a value off the wire is never a function: so only that
 * one key needs Object.hasOwn, which costs as much again as the read on the hot paths.
 */
export function own(obj: JsonRecord, key: string): unknown {
  if (key === '__proto__') return Object.hasOwn(obj, key) ? obj[key] : undefined;
  const v = obj[key];
  return typeof v === 'function' ? undefined : v;
}

/**
 * Sets a key as an own data property. Only `__proto__` needs defineProperty (assigning it would
 * set the prototype); every other key is assigned, which keeps V8's fast object layout.
 */
export function defineOwn(obj: JsonRecord, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Semantic JSON equality: object key order does not matter, array order does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isRecord(a)) {
    if (!isRecord(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
