// JSON text for the small values a webhook answers with. Node 20's JSON.stringify walks each
// object through V8's generic C++ path; with the caches cold, as in a loaded server, that cost
// twice what this walk does for a patch (bench/admission, ADR 0009). Same text as JSON.stringify.

/** Printable ASCII but `"` and `\`: written as they are. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A string as JSON. Most (uids, JSON pointers, names) need no escaping and skip JSON.stringify. */
export function jsonString(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

/**
 * The JSON text of a JSON value (what JSON.parse gives and cloneJson keeps), equal to
 * JSON.stringify's. Anything else (class instances, toJSON) goes to JSON.stringify itself.
 */
export function jsonText(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'number':
      return Number.isFinite(v) ? `${v}` : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return arrayText(v);
      return Object.getPrototypeOf(v) === Object.prototype ? objectText(v as Record<string, unknown>) : JSON.stringify(v);
    default:
      return JSON.stringify(v);
  }
}

function arrayText(a: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < a.length; i++) {
    const item = a[i];
    // JSON.stringify writes null for holes and for what JSON cannot hold.
    const text = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : jsonText(item);
    out += i === 0 ? text : `,${text}`;
  }
  return `${out}]`;
}

function objectText(o: Record<string, unknown>): string {
  let out = '{';
  let first = true;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out += `${first ? '' : ','}${jsonString(k)}:${jsonText(v)}`;
    first = false;
  }
  return `${out}}`;
}
