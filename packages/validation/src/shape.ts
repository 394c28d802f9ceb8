import { parseQuantity, type JsonSchema, type StatusCause } from '@qvirt/api';
import { invalid, MAX_CAUSES, notSupported, required, tooMany, unknownField } from './causes.js';
import { child, index, key } from './field-path.js';
import { defineOwn, isRecord, jsonType, own } from './untrusted.js';

/**
 * Every optional: what a rule may rely on after the shape check. Present values have
 * the declared type; missing or mistyped ones are absent (the shape check reported them).
 */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

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

/**
 * Checks an untrusted value against a structural schema (the CRD's, from @qvirt/api) the
 * way the API server would with strict field validation: types, required fields, enums,
 * maxItems, quantities, unknown fields. Never throws. Lists longer than maxItems get one
 * FieldValueTooMany cause and no per-item work; the walk stops after MAX_CAUSES causes.
 */
export function checkShape(path: string, value: unknown, schema: JsonSchema, options: ShapeOptions = {}): ShapeResult {
  const walker = new ShapeWalker(options.opaque ?? new Set());
  const out = walker.walk(path, value, schema);
  return { causes: walker.causes, value: out === DROP ? undefined : out };
}

class ShapeWalker {
  readonly causes: StatusCause[] = [];

  constructor(private readonly opaque: ReadonlySet<JsonSchema>) {}

  private get full(): boolean {
    return this.causes.length > MAX_CAUSES;
  }

  private report(cause: StatusCause): typeof DROP {
    this.causes.push(cause);
    return DROP;
  }

  walk(path: string, value: unknown, schema: JsonSchema): unknown {
    if (this.full) return DROP;
    if (this.opaque.has(schema)) return value;
    if (value === null && schema.nullable) return DROP;
    if (schema['x-kubernetes-int-or-string']) return this.intOrString(path, value, schema);
    switch (schema.type) {
      case 'object':
        return this.object(path, value, schema);
      case 'array':
        return this.array(path, value, schema);
      case 'string':
        return this.string(path, value, schema);
      case 'integer':
      case 'number':
        return this.number(path, value, schema);
      case 'boolean':
        return typeof value === 'boolean' ? value : this.wrongType(path, value, 'boolean');
      default:
        return value;
    }
  }

  private wrongType(path: string, value: unknown, expected: string): typeof DROP {
    const actual = jsonType(value);
    const shownValue = actual === 'string' || actual === 'integer' || actual === 'number' || actual === 'boolean' ? value : actual;
    return this.report(invalid(path, shownValue, `must be of type ${expected}`));
  }

  private object(path: string, value: unknown, schema: JsonSchema): unknown {
    if (!isRecord(value)) return this.wrongType(path, value, 'object');
    if (schema['x-kubernetes-preserve-unknown-fields']) return value;
    const props = schema.properties ?? {};
    const extra = schema.additionalProperties;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (this.full) break;
      if (v === undefined) continue;
      let sub: JsonSchema | undefined;
      let subPath: string;
      if (Object.hasOwn(props, k)) {
        sub = props[k];
        subPath = child(path, k);
      } else if (typeof extra === 'object') {
        sub = extra;
        subPath = key(path, k);
      } else if (extra === true) {
        defineOwn(out, k, v);
        continue;
      } else {
        this.report(unknownField(child(path, k)));
        continue;
      }
      const checked = sub === undefined ? v : this.walk(subPath, v, sub);
      if (checked !== DROP) defineOwn(out, k, checked);
    }
    for (const name of schema.required ?? []) {
      if (own(value, name) === undefined) this.report(required(child(path, name)));
    }
    return out;
  }

  private array(path: string, value: unknown, schema: JsonSchema): unknown {
    if (!Array.isArray(value)) return this.wrongType(path, value, 'array');
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      return this.report(tooMany(path, value.length, schema.maxItems));
    }
    const items = schema.items;
    if (items === undefined) return [...value];
    // Object items keep their index (as `{}` when invalid) so later rules' paths stay right.
    const placeholder = items.type === 'object';
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (this.full) return DROP;
      const checked = this.walk(index(path, i), value[i], items);
      if (checked !== DROP) out.push(checked);
      else if (placeholder) out.push({});
    }
    return out;
  }

  private string(path: string, value: unknown, schema: JsonSchema): unknown {
    if (typeof value !== 'string') return this.wrongType(path, value, 'string');
    if (schema.enum && !schema.enum.includes(value)) return this.report(notSupported(path, value, schema.enum));
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      return this.report(invalid(path, value, `must be no more than ${schema.maxLength} characters`));
    }
    if (schema.pattern !== undefined && !patternOf(schema.pattern).test(value)) {
      return this.report(invalid(path, value, `must match the pattern ${schema.pattern}`));
    }
    return value;
  }

  private number(path: string, value: unknown, schema: JsonSchema): unknown {
    const ok = schema.type === 'integer' ? Number.isSafeInteger(value) : typeof value === 'number' && Number.isFinite(value);
    if (!ok) return this.wrongType(path, value, schema.type ?? 'number');
    const n = value as number;
    if (schema.minimum !== undefined && n < schema.minimum) {
      return this.report(invalid(path, n, `must be greater than or equal to ${schema.minimum}`));
    }
    if (schema.maximum !== undefined && n > schema.maximum) {
      return this.report(invalid(path, n, `must be less than or equal to ${schema.maximum}`));
    }
    return n;
  }

  /** resource.Quantity (the only int-or-string in our schemas): checked by parsing it. */
  private intOrString(path: string, value: unknown, schema: JsonSchema): unknown {
    if (typeof value !== 'string' && !Number.isSafeInteger(value)) return this.wrongType(path, value, 'integer or string');
    if (schema.pattern === undefined) return value;
    try {
      parseQuantity(value as string | number);
      return value;
    } catch (err) {
      const why = /out of range/.test((err as Error).message) ? 'is out of range' : 'must be a quantity (e.g. 512Mi, 2Gi, 500m)';
      return this.report(invalid(path, value, why));
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
