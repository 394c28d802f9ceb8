// JSON text for what a webhook answers with. Node 20's JSON.stringify walks each object through
// V8's generic C++ path, and building the text from strings leaves a rope of small strings per
// member; in a loaded server both cost more than the defaults that made the patch (ADR 0009).
// A patch is instead written as UTF-8 bytes into one reusable buffer and encoded from there.
import type { JsonPatchOperation } from './json-patch.js';

/** A string is written as it is when it has only these: printable ASCII but `"` and `\`. */
function isPlainChar(c: number): boolean {
  return c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c;
}

function isPlain(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isPlainChar(s.charCodeAt(i))) return false;
  return true;
}

/**
 * A string as JSON. Most (uids, JSON pointers, keys, names) are plain and skip JSON.stringify.
 * A loop, not a regular expression: these strings are short, and a call into the regexp engine
 * cost more than the scan.
 */
export function jsonString(s: string): string {
  return isPlain(s) ? `"${s}"` : JSON.stringify(s);
}

/** A buffer grown past this for a big patch is dropped afterwards, so the shared one stays small. */
const SHARED_LIMIT = 64 * 1024;

/**
 * JSON as UTF-8 bytes in a buffer that grows as needed. Same text as JSON.stringify for JSON
 * values (what JSON.parse gives); anything else (class instances, toJSON) is left to it.
 */
class Utf8JsonWriter {
  private buf: Buffer;
  private n = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  reset(): void {
    this.n = 0;
  }

  /** The bytes written so far, base64. A buffer grown past `keep` bytes is let go of. */
  base64(keep: number): string {
    const out = this.buf.toString('base64', 0, this.n);
    if (this.buf.length > keep) this.buf = Buffer.allocUnsafe(keep);
    return out;
  }

  private room(bytes: number): void {
    if (this.n + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + bytes));
    this.buf.copy(bigger, 0, 0, this.n);
    this.buf = bigger;
  }

  /** Text known to be printable ASCII (literals, plain strings, numbers). */
  ascii(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    let n = this.n;
    for (let i = 0; i < s.length; i++) buf[n++] = s.charCodeAt(i);
    this.n = n;
  }

  /** Any text: UTF-8 (JSON.stringify's output never holds a lone surrogate). */
  private utf8(s: string): void {
    this.room(s.length * 3);
    this.n += this.buf.write(s, this.n, 'utf8');
  }

  /** A quoted string: plain ones copied while checked (one pass), the rest through JSON.stringify. */
  string(s: string): void {
    this.room(s.length + 2);
    const buf = this.buf;
    let n = this.n;
    buf[n++] = 0x22;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (!isPlainChar(c)) {
        // Not plain: what was copied is dropped (this.n has not moved).
        this.utf8(JSON.stringify(s));
        return;
      }
      buf[n++] = c;
    }
    buf[n++] = 0x22;
    this.n = n;
  }

  value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.string(v);
        return;
      case 'number':
        this.ascii(Number.isFinite(v) ? `${v}` : 'null');
        return;
      case 'boolean':
        this.ascii(v ? 'true' : 'false');
        return;
      case 'object':
        if (v === null) this.ascii('null');
        else if (Array.isArray(v)) this.array(v);
        else if (Object.getPrototypeOf(v) === Object.prototype) this.object(v as Record<string, unknown>);
        else this.utf8(JSON.stringify(v));
        return;
      default:
        // undefined, functions and symbols have no JSON; bigint throws, as JSON.stringify does.
        this.utf8(JSON.stringify(v) ?? 'null');
    }
  }

  private array(a: readonly unknown[]): void {
    this.ascii('[');
    for (let i = 0; i < a.length; i++) {
      if (i > 0) this.ascii(',');
      const item = a[i];
      // JSON.stringify writes null for holes and for what JSON cannot hold.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') this.ascii('null');
      else this.value(item);
    }
    this.ascii(']');
  }

  private object(o: Record<string, unknown>): void {
    this.ascii('{');
    let first = true;
    for (const k in o) {
      if (!Object.hasOwn(o, k)) continue;
      const v = o[k];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      if (!first) this.ascii(',');
      first = false;
      this.string(k);
      this.ascii(':');
      this.value(v);
    }
    this.ascii('}');
  }
}

const INITIAL_SIZE = 4096;
/** Each use is synchronous from reset to base64, so one writer serves every call. */
const shared = new Utf8JsonWriter(INITIAL_SIZE);

/**
 * An RFC 6902 patch as base64 of its JSON text (an AdmissionResponse's `patch`): each operation
 * written as op, from, path, value. The same JSON as JSON.stringify's, members in that order.
 */
export function jsonPatchBase64(ops: readonly JsonPatchOperation[]): string {
  const w = shared;
  w.reset();
  w.ascii('[');
  for (let i = 0; i < ops.length; i++) {
    const { op, from, path, value } = ops[i]!;
    w.ascii(i === 0 ? '{"op":' : ',{"op":');
    w.string(op);
    if (from !== undefined) {
      w.ascii(',"from":');
      w.string(from);
    }
    w.ascii(',"path":');
    w.string(path);
    if (value !== undefined) {
      w.ascii(',"value":');
      w.value(value);
    }
    w.ascii('}');
  }
  w.ascii(']');
  return w.base64(SHARED_LIMIT);
}
