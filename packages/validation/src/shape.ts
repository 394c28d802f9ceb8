import { parseQuantity, type JsonSchema, type StatusCause } from '@qvirt/api';
import { invalid, MAX_CAUSES, notSupported, required, tooMany, unknownField } from './causes.js';
import { child, index, key } from './field-path.js';
import { defineOwn, isRecord, jsonType, own } from './untrusted.js';

/**
 * Every optional: what a rule may rely on after the shape check. Present values have
 * the declared type; missing or mistyped ones are absent (the shape check reported them).
 */
export type DeepPartial<T> = T extends readonly (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export interface ShapeOptions {
  /** Schema nodes not descended into (checked by their own validator); kept as they are. */
  opaque?: ReadonlySet<JsonSchema>;
}

export interface ShapeResult {
  causes: StatusCause[];
  /** A copy holding only what matched the schema; undefined if the root did not. */
  value: unknown;
}

const DROP = Symbol('drop');

type NodeKind = 'object' | 'preserve' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'intOrString' | 'opaque' | 'any';

/**
 * One schema node in a fixed layout. The CRD schema objects are built with spreads, so each has
 * its own hidden class and reading them per request is megamorphic; the walk reads these instead
 * (compiled once per schema, halving the cost of a check).
 */
class SchemaNode {
  kind: NodeKind = 'any';
  nullable = false;
  props: Map<string, SchemaNode> | undefined = undefined;
  /** additionalProperties: a node for map values, true to keep unknown keys, undefined to refuse them. */
  extra: SchemaNode | true | undefined = undefined;
  required: readonly string[] = [];
  items: SchemaNode | undefined = undefined;
  maxItems = Infinity;
  enumValues: readonly (string | number | boolean)[] | undefined = undefined;
  maxLength = Infinity;
  pattern: RegExp | undefined = undefined;
  patternSource = '';
  minimum = -Infinity;
  maximum = Infinity;
  typeName = '';
}

const compiledByOpaque = new WeakMap<ReadonlySet<JsonSchema>, WeakMap<JsonSchema, SchemaNode>>();
const NO_OPAQUE: ReadonlySet<JsonSchema> = new Set();

function compile(schema: JsonSchema, opaque: ReadonlySet<JsonSchema>): SchemaNode {
  let cache = compiledByOpaque.get(opaque);
  if (cache === undefined) {
    cache = new WeakMap();
    compiledByOpaque.set(opaque, cache);
  }
  const hit = cache.get(schema);
  if (hit !== undefined) return hit;
  const node = new SchemaNode();
  cache.set(schema, node);
  node.nullable = schema.nullable === true;
  node.typeName = schema.type ?? 'number';
  if (opaque.has(schema)) {
    node.kind = 'opaque';
  } else if (schema['x-kubernetes-int-or-string']) {
    node.kind = 'intOrString';
    node.pattern = schema.pattern === undefined ? undefined : patternOf(schema.pattern);
  } else if (schema.type === 'object') {
    node.kind = schema['x-kubernetes-preserve-unknown-fields'] ? 'preserve' : 'object';
    node.props = new Map(Object.entries(schema.properties ?? {}).map(([k, sub]) => [k, compile(sub, opaque)]));
    const extra = schema.additionalProperties;
    node.extra = typeof extra === 'object' ? compile(extra, opaque) : extra === true ? true : undefined;
    node.required = schema.required ?? [];
  } else if (schema.type === 'array') {
    node.kind = 'array';
    node.items = schema.items === undefined ? undefined : compile(schema.items, opaque);
    node.maxItems = schema.maxItems ?? Infinity;
  } else if (schema.type !== undefined) {
    node.kind = schema.type;
    node.enumValues = schema.enum;
    node.maxLength = schema.maxLength ?? Infinity;
    node.pattern = schema.pattern === undefined ? undefined : patternOf(schema.pattern);
    node.patternSource = schema.pattern ?? '';
    node.minimum = schema.minimum ?? -Infinity;
    node.maximum = schema.maximum ?? Infinity;
  }
  return node;
}

/**
 * Checks an untrusted value against a structural schema (the CRD's, from @qvirt/api) the
 * way the API server would with strict field validation: types, required fields, enums,
 * maxItems, quantities, unknown fields. Never throws. Lists longer than maxItems get one
 * FieldValueTooMany cause and no per-item work; the walk stops after MAX_CAUSES causes.
 */
export function checkShape(path: string, value: unknown, schema: JsonSchema, options: ShapeOptions = {}): ShapeResult {
  const root = compile(schema, options.opaque ?? NO_OPAQUE);
  // A valid value (the common case) is its own view; the copy is built only when something is dropped.
  const check = new ShapeWalker(path, false);
  if (check.walk(value, root) !== DROP && check.causes.length === 0 && !check.pruned) return { causes: [], value };
  const walker = new ShapeWalker(path, true);
  const out = walker.walk(value, root);
  return { causes: walker.causes, value: out === DROP ? undefined : out };
}

class ShapeWalker {
  readonly causes: StatusCause[] = [];
  /** A null was dropped where the schema allows it (the view differs from the input without a cause). */
  pruned = false;

  /**
   * Where the walk is, below the root: a member name, a map key (`keys` marks those) or a list
   * index per level. Kept as a stack and written out only for a cause, since a valid value (the
   * common case) needs no path at all: building one per member was most of a check's garbage.
   */
  private readonly segments: (string | number)[] = [];
  private readonly keys: boolean[] = [];

  /** copy: build the view of what matched; otherwise only find the causes. */
  constructor(
    private readonly root: string,
    private readonly copy: boolean,
  ) {}

  /** The field path of the value being walked, as Kubernetes prints it. */
  private path(): string {
    let p = this.root;
    for (let i = 0; i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      p = typeof seg === 'number' ? index(p, seg) : this.keys[i] ? key(p, seg) : child(p, seg);
    }
    return p;
  }

  /** Walks `value` one level down, at `seg`. */
  private down(seg: string | number, isKey: boolean, value: unknown, node: SchemaNode): unknown {
    this.segments.push(seg);
    this.keys.push(isKey);
    const out = this.walk(value, node);
    this.segments.pop();
    this.keys.pop();
    return out;
  }

  /** A cause about the member `name` of the value being walked (unknown or missing). */
  private reportMember(name: string, cause: (field: string) => StatusCause): void {
    this.report(cause(child(this.path(), name)));
  }

  private get full(): boolean {
    return this.causes.length > MAX_CAUSES;
  }

  private report(cause: StatusCause): typeof DROP {
    this.causes.push(cause);
    return DROP;
  }

  walk(value: unknown, node: SchemaNode): unknown {
    if (this.full) return DROP;
    if (node.kind === 'opaque') return value;
    if (value === null && node.nullable) {
      this.pruned = true;
      return DROP;
    }
    switch (node.kind) {
      case 'intOrString':
        return this.intOrString(value, node);
      case 'preserve':
        return isRecord(value) ? value : this.wrongType(value, 'object');
      case 'object':
        return this.object(value, node);
      case 'array':
        return this.array(value, node);
      case 'string':
        return this.string(value, node);
      case 'integer':
      case 'number':
        return this.number(value, node);
      case 'boolean':
        return typeof value === 'boolean' ? value : this.wrongType(value, 'boolean');
      default:
        return value;
    }
  }

  private wrongType(value: unknown, expected: string): typeof DROP {
    const actual = jsonType(value);
    const shownValue = actual === 'string' || actual === 'integer' || actual === 'number' || actual === 'boolean' ? value : actual;
    return this.report(invalid(this.path(), shownValue, `must be of type ${expected}`));
  }

  private object(value: unknown, node: SchemaNode): unknown {
    if (!isRecord(value)) return this.wrongType(value, 'object');
    const props = node.props!;
    const extra = node.extra;
    const out: Record<string, unknown> | undefined = this.copy ? {} : undefined;
    // for-in walks V8's cached key list where Object.keys would copy it per object.
    for (const k in value) {
      if (this.full) break;
      if (!Object.hasOwn(value, k)) continue;
      const v = value[k];
      if (v === undefined) continue;
      const sub = props.get(k);
      let checked: unknown;
      if (sub !== undefined) {
        checked = this.down(k, false, v, sub);
      } else if (extra === true) {
        checked = v;
      } else if (extra !== undefined) {
        checked = this.down(k, true, v, extra);
      } else {
        this.reportMember(k, unknownField);
        continue;
      }
      if (out !== undefined && checked !== DROP) defineOwn(out, k, checked);
    }
    for (const name of node.required) {
      if (own(value, name) === undefined) this.reportMember(name, required);
    }
    return out ?? value;
  }

  private array(value: unknown, node: SchemaNode): unknown {
    if (!Array.isArray(value)) return this.wrongType(value, 'array');
    if (value.length > node.maxItems) return this.report(tooMany(this.path(), value.length, node.maxItems));
    const items = node.items;
    if (items === undefined) return this.copy ? [...value] : value;
    // Object items keep their index (as `{}` when invalid) so later rules' paths stay right.
    const placeholder = items.kind === 'object' || items.kind === 'preserve';
    const out: unknown[] | undefined = this.copy ? [] : undefined;
    for (let i = 0; i < value.length; i++) {
      if (this.full) return DROP;
      const checked = this.down(i, false, value[i], items);
      if (out === undefined) continue;
      if (checked !== DROP) out.push(checked);
      else if (placeholder) out.push({});
    }
    return out ?? value;
  }

  private string(value: unknown, node: SchemaNode): unknown {
    if (typeof value !== 'string') return this.wrongType(value, 'string');
    if (node.enumValues && !node.enumValues.includes(value)) return this.report(notSupported(this.path(), value, node.enumValues));
    if (value.length > node.maxLength) return this.report(invalid(this.path(), value, `must be no more than ${node.maxLength} characters`));
    if (node.pattern !== undefined && !node.pattern.test(value)) {
      return this.report(invalid(this.path(), value, `must match the pattern ${node.patternSource}`));
    }
    return value;
  }

  private number(value: unknown, node: SchemaNode): unknown {
    const ok = node.kind === 'integer' ? Number.isSafeInteger(value) : typeof value === 'number' && Number.isFinite(value);
    if (!ok) return this.wrongType(value, node.typeName);
    const n = value as number;
    if (n < node.minimum) return this.report(invalid(this.path(), n, `must be greater than or equal to ${node.minimum}`));
    if (n > node.maximum) return this.report(invalid(this.path(), n, `must be less than or equal to ${node.maximum}`));
    return n;
  }

  /** resource.Quantity (the only int-or-string in our schemas): checked by parsing it. */
  private intOrString(value: unknown, node: SchemaNode): unknown {
    if (typeof value !== 'string' && !Number.isSafeInteger(value)) return this.wrongType(value, 'integer or string');
    if (node.pattern === undefined) return value;
    try {
      parseQuantity(value as string | number);
      return value;
    } catch (err) {
      const why = /out of range/.test((err as Error).message) ? 'is out of range' : 'must be a quantity (e.g. 512Mi, 2Gi, 500m)';
      return this.report(invalid(this.path(), value, why));
    }
  }
}

const patterns = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (re === undefined) {
    re = new RegExp(source, 'u');
    patterns.set(source, re);
  }
  return re;
}
