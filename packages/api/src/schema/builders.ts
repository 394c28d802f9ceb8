// Tiny builders for structural OpenAPI v3 schemas (what apiextensions.k8s.io/v1 requires:
// every node typed, no bare objects unless marked preserve-unknown-fields).

export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean' | 'number';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  enum?: readonly (string | number | boolean)[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  nullable?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
}

export const str = (description?: string, extra: Partial<JsonSchema> = {}): JsonSchema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});
export const int = (description?: string, extra: Partial<JsonSchema> = {}): JsonSchema => ({
  type: 'integer',
  ...(description ? { description } : {}),
  ...extra,
});
export const bool = (description?: string): JsonSchema => ({ type: 'boolean', ...(description ? { description } : {}) });
export const enumOf = (values: readonly string[], description?: string): JsonSchema => ({
  ...str(description),
  enum: values,
});
export const obj = (properties: Record<string, JsonSchema>, required?: string[], description?: string): JsonSchema => ({
  type: 'object',
  ...(description ? { description } : {}),
  properties,
  ...(required && required.length > 0 ? { required } : {}),
});
export const arr = (items: JsonSchema, description?: string, extra: Partial<JsonSchema> = {}): JsonSchema => ({
  type: 'array',
  ...(description ? { description } : {}),
  items,
  ...extra,
});
/**
 * A bounded atomic list. Not list-type map: name uniqueness and format are checked by
 * virt-api so users get KubeVirt's causes with field paths, not a schema error.
 */
export const boundedList = (items: JsonSchema, description: string, maxItems: number): JsonSchema => arr(items, description, { maxItems });
export const stringMap = (description?: string): JsonSchema => ({
  type: 'object',
  ...(description ? { description } : {}),
  additionalProperties: { type: 'string' },
});
/** resource.Quantity: int or string, as Kubernetes' own CRDs declare it. */
export const quantity = (description?: string): JsonSchema => ({
  ...(description ? { description } : {}),
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
  'x-kubernetes-int-or-string': true,
});
export const quantityMap = (description?: string): JsonSchema => ({
  type: 'object',
  ...(description ? { description } : {}),
  additionalProperties: quantity(),
});
/** Fields whose full schema is Kubernetes' own (affinity): kept, not pruned, validated by consumers. */
export const opaque = (description: string): JsonSchema => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});
