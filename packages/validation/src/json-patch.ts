import { defineOwn, isRecord, type JsonRecord } from './untrusted.js';

/**
 * One RFC 6902 operation: the one JSON Patch type of the project (the defaulting webhooks return
 * add, replace and remove, which applyJsonPatch applies; the caBundle sync sends test and add).
 */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  /** move and copy: where from. */
  from?: string;
}

export class JsonPatchError extends Error {
  override name = 'JsonPatchError';
}

/** RFC 6901: `~` -> `~0`, `/` -> `~1`. */
export function escapePointerSegment(segment: string): string {
  // One pass over the (short) segment; most have nothing to escape.
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c === 0x7e || c === 0x2f) return segment.replace(/~/g, '~0').replace(/\//g, '~1');
  }
  return segment;
}

export function jsonPointer(segments: readonly (string | number)[]): string {
  let pointer = '';
  for (const s of segments) pointer += `/${typeof s === 'number' ? s : escapePointerSegment(s)}`;
  return pointer;
}

export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`path ${JSON.stringify(pointer)} must be empty or start with "/"`);
  // ~1 before ~0, so "~01" decodes to "~1" (RFC 6901 section 4).
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * A JSON value's deep copy (patch values must not alias the document they go into), as a
 * JSON round trip gives it (undefined members dropped, in arrays null) without the text.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => (v === undefined ? null : cloneJson(v))) as T;
  const out: JsonRecord = {};
  for (const k of Object.keys(value)) {
    const v = (value as JsonRecord)[k];
    if (v !== undefined) defineOwn(out, k, cloneJson(v));
  }
  return out as T;
}

type Container = JsonRecord | unknown[];

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * Applies add / replace / remove operations in order and returns the new document; `doc`
 * is not modified (containers on each op's path are copied, the rest is shared). Throws
 * JsonPatchError naming the path when an operation cannot apply.
 */
export function applyJsonPatch(doc: unknown, ops: readonly JsonPatchOperation[]): unknown {
  let root = doc;
  for (const op of ops) root = applyOne(root, op);
  return root;
}

function shallowCopy(c: Container): Container {
  if (Array.isArray(c)) return [...c];
  const out: JsonRecord = {};
  for (const [k, v] of Object.entries(c)) defineOwn(out, k, v);
  return out;
}

function isContainer(v: unknown): v is Container {
  return Array.isArray(v) || isRecord(v);
}

function memberOf(c: Container, seg: string): unknown {
  if (Array.isArray(c)) return ARRAY_INDEX.test(seg) ? c[Number(seg)] : undefined;
  return Object.hasOwn(c, seg) ? c[seg] : undefined;
}

function applyOne(root: unknown, op: JsonPatchOperation): unknown {
  const segments = parseJsonPointer(op.path);
  const kind: string = op.op;
  if (kind !== 'add' && kind !== 'replace' && kind !== 'remove') throw new JsonPatchError(`op ${JSON.stringify(kind)} is not supported`);
  if ((kind === 'add' || kind === 'replace') && !('value' in op)) throw new JsonPatchError(`${kind} at ${op.path} needs a value`);
  if (segments.length === 0) {
    if (kind === 'remove') throw new JsonPatchError('remove of the whole document is not supported');
    return cloneJson(op.value);
  }
  if (!isContainer(root)) throw new JsonPatchError(`path ${op.path}: the document is not an object or array`);
  const newRoot = shallowCopy(root);
  let parent: Container = newRoot;
  for (let i = 0; i < segments.length - 1; i++) {
    const next = memberOf(parent, segments[i]!);
    if (!isContainer(next)) {
      throw new JsonPatchError(`path ${op.path}: ${jsonPointerOf(segments.slice(0, i + 1))} does not exist or is not an object or array`);
    }
    const copy = shallowCopy(next);
    setMember(parent, segments[i]!, copy);
    parent = copy;
  }
  const last = segments[segments.length - 1]!;
  if (Array.isArray(parent)) applyToArray(parent, last, op);
  else applyToObject(parent, last, op);
  return newRoot;
}

function jsonPointerOf(segments: readonly string[]): string {
  return jsonPointer(segments);
}

function setMember(c: Container, seg: string, value: unknown): void {
  if (Array.isArray(c)) c[Number(seg)] = value;
  else defineOwn(c, seg, value);
}

function applyToObject(obj: JsonRecord, key: string, op: JsonPatchOperation): void {
  const exists = Object.hasOwn(obj, key);
  if (op.op !== 'add' && !exists) throw new JsonPatchError(`${op.op} at ${op.path}: no such member`);
  if (op.op === 'remove') delete obj[key];
  else defineOwn(obj, key, cloneJson(op.value));
}

function applyToArray(arr: unknown[], seg: string, op: JsonPatchOperation): void {
  if (op.op === 'add' && seg === '-') {
    arr.push(cloneJson(op.value));
    return;
  }
  if (!ARRAY_INDEX.test(seg)) throw new JsonPatchError(`${op.op} at ${op.path}: ${JSON.stringify(seg)} is not an array index`);
  const i = Number(seg);
  const max = op.op === 'add' ? arr.length : arr.length - 1;
  if (i > max) throw new JsonPatchError(`${op.op} at ${op.path}: index ${i} is out of bounds (length ${arr.length})`);
  if (op.op === 'add') arr.splice(i, 0, cloneJson(op.value));
  else if (op.op === 'replace') arr[i] = cloneJson(op.value);
  else arr.splice(i, 1);
}
