import { cloneJson, jsonPointer, type JsonPatchOperation } from './json-patch.js';
import { defineOwn, isRecord, own, type JsonRecord } from './untrusted.js';

type Segment = string | number;
type Container = JsonRecord | unknown[];

/**
 * Collects a mutating webhook's patch while keeping a view of the document with the
 * operations so far applied, so each default sees the ones before it. The view is built
 * copy-on-write (containers on a patched path are copied once), so the input is never
 * touched and `result()` is what applying `ops` to the input gives. Never patches through
 * a value of the wrong type (validation reports those).
 */
export class PatchBuilder {
  readonly ops: JsonPatchOperation[] = [];
  private doc: unknown;
  // The containers copied so far: a handful per patch, so a list beats a (Weak)Set's hashing.
  private readonly owned: Container[] = [];

  constructor(doc: unknown) {
    this.doc = doc;
  }

  result(): unknown {
    return this.doc;
  }

  /** The value at a path, undefined if any step is missing or not a container. */
  get(path: readonly Segment[]): unknown {
    let cur: unknown = this.doc;
    for (const seg of path) {
      if (Array.isArray(cur)) {
        if (typeof seg !== 'number') return undefined;
        cur = cur[seg];
      } else if (isRecord(cur) && typeof seg === 'string') cur = own(cur, seg);
      else return undefined;
    }
    return cur;
  }

  /** True when the path holds nothing (absent or null): a default applies. */
  isUnset(path: readonly Segment[]): boolean {
    const v = this.get(path);
    return v === undefined || v === null;
  }

  /**
   * Sets `value` at `path`, creating missing objects on the way in one `add` of the nested
   * value. Returns false (and emits nothing) if an existing step is not an object.
   */
  set(path: readonly Segment[], value: unknown): boolean {
    let cur: unknown = this.doc;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const last = i === path.length - 1;
      if (Array.isArray(cur)) {
        if (typeof seg !== 'number' || seg >= cur.length) return false;
        if (last) return this.emit('replace', path, value);
        cur = cur[seg];
        continue;
      }
      if (!isRecord(cur) || typeof seg !== 'string') return false;
      const next = own(cur, seg);
      // JSON holds no undefined: a value means the member exists (hasOwn only for the odd case).
      const exists = next !== undefined || Object.hasOwn(cur, seg);
      if (last) return this.emit(exists ? 'replace' : 'add', path, value);
      if (next === undefined || next === null) {
        return this.emit(exists ? 'replace' : 'add', path.slice(0, i + 1), nest(path.slice(i + 1), value));
      }
      cur = next;
    }
    return false;
  }

  private emit(op: 'add' | 'replace', path: readonly Segment[], value: unknown): boolean {
    // One copy serves the op and the view: the view copies a container before writing into it.
    const copy = cloneJson(value);
    this.ops.push({ op, path: jsonPointer(path), value: copy });
    this.write(path, copy);
    return true;
  }

  /** Writes into the view, copying each container on the path the first time it is written. */
  private write(path: readonly Segment[], value: unknown): void {
    this.doc = this.writable(this.doc as Container);
    let parent = this.doc as Container;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i]!;
      const child = this.writable((parent as Record<string | number, unknown>)[seg] as Container);
      setMember(parent, seg, child);
      parent = child;
    }
    setMember(parent, path[path.length - 1]!, value);
  }

  private writable(c: Container): Container {
    if (this.owned.includes(c)) return c;
    // Spread defines own data properties (a `__proto__` key stays data) on V8's fast clone path.
    const copy: Container = Array.isArray(c) ? [...c] : { ...c };
    this.owned.push(copy);
    return copy;
  }
}

function setMember(c: Container, seg: Segment, value: unknown): void {
  if (Array.isArray(c)) c[seg as number] = value;
  else defineOwn(c, String(seg), value);
}

function nest(rest: readonly Segment[], value: unknown): unknown {
  let v = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const obj: JsonRecord = {};
    defineOwn(obj, String(rest[i]), v);
    v = obj;
  }
  return v;
}
