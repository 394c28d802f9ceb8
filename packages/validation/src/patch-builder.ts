import { jsonPointer, type JsonPatchOperation } from './json-patch.js';
import { defineOwn, isRecord, own, type JsonRecord } from './untrusted.js';

type Segment = string | number;

/**
 * Collects a mutating webhook's patch against a document it only reads. Defaults write disjoint
 * parts of the document (machine, cpu, memory, features, devices, ...), so none needs to see
 * another's result and no copy of the document is built: in a loaded server that copy cost as
 * much as the defaults themselves (ADR 0009). (Tests hold the defaults to it: the defaulted
 * document defaults to nothing more.) Never patches through a value of the wrong type
 * (validation reports those).
 */
export class PatchBuilder {
  /**
   * @param doc the document, or the object a scope (`at`) stands on
   * @param ops shared by a builder and its scopes
   * @param pointer the JSON pointer of `doc` in the whole document
   */
  constructor(
    private readonly doc: unknown,
    readonly ops: JsonPatchOperation[] = [],
    private readonly pointer = '',
  ) {}

  /** A builder for the object at `path` (paths relative to it, same patch), undefined if that is not an object. */
  at(path: readonly Segment[]): PatchBuilder | undefined {
    const obj = this.get(path);
    return isRecord(obj) ? new PatchBuilder(obj, this.ops, this.pointer + jsonPointer(path)) : undefined;
  }

  /** The value at a path in the input, undefined if any step is missing or not a container. */
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
   * value. Returns false (and emits nothing) if an existing step is not an object. The value
   * goes into the patch as it is: pass a fresh object or a primitive, never a part of the input
   * (a caller may apply the patch to that very input).
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

  /** Appends `value` to the array at `path` (`add` at `/-`); false if there is no array there. */
  append(path: readonly Segment[], value: unknown): boolean {
    if (!Array.isArray(this.get(path))) return false;
    this.ops.push({ op: 'add', path: `${this.pointer}${jsonPointer(path)}/-`, value });
    return true;
  }

  private emit(op: 'add' | 'replace', path: readonly Segment[], value: unknown): boolean {
    this.ops.push({ op, path: this.pointer + jsonPointer(path), value });
    return true;
  }
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
