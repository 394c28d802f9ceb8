import { applyJsonPatch, cloneJson, jsonPointer, type JsonPatchOperation } from './json-patch.js';
import { isRecord } from './untrusted.js';

type Segment = string | number;

/**
 * Collects a mutating webhook's patch while keeping a view of the document with the
 * operations so far applied, so each default sees the ones before it. Never touches the
 * input; never patches through a value of the wrong type (validation reports those).
 */
export class PatchBuilder {
  readonly ops: JsonPatchOperation[] = [];
  private doc: unknown;

  constructor(doc: unknown) {
    this.doc = doc;
  }

  /** The value at a path, undefined if any step is missing or not a container. */
  get(path: readonly Segment[]): unknown {
    let cur: unknown = this.doc;
    for (const seg of path) {
      if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
      else if (isRecord(cur) && typeof seg === 'string' && Object.hasOwn(cur, seg)) cur = cur[seg];
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
      const exists = Object.hasOwn(cur, seg);
      if (last) return this.emit(exists ? 'replace' : 'add', path, value);
      const next = exists ? cur[seg] : undefined;
      if (next === undefined || next === null) {
        return this.emit(exists ? 'replace' : 'add', path.slice(0, i + 1), nest(path.slice(i + 1), value));
      }
      cur = next;
    }
    return false;
  }

  private emit(op: 'add' | 'replace', path: readonly Segment[], value: unknown): boolean {
    const operation: JsonPatchOperation = { op, path: jsonPointer(path), value: cloneJson(value) };
    this.doc = applyJsonPatch(this.doc, [operation]);
    this.ops.push(operation);
    return true;
  }
}

function nest(rest: readonly Segment[], value: unknown): unknown {
  let v = value;
  for (let i = rest.length - 1; i >= 0; i--) v = { [rest[i]!]: v };
  return v;
}
