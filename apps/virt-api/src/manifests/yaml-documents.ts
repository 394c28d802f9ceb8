import { parseAllDocuments } from 'yaml';
import { CliInputError } from './input-error.js';

/**
 * The documents of a YAML (or JSON) text as plain values. Throws CliInputError naming the
 * source, line and column of the first syntax error, in one line.
 */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  const values: unknown[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err !== undefined) {
      // The pretty message's first line ends "at line L, column C:"; the code frame after it is dropped.
      const pos = err.linePos?.[0];
      const what = firstLine(err.message).replace(/ at line \d+, column \d+:?$/, '');
      throw new CliInputError(`${source}: ${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${what}`);
    }
    if (doc.contents === null) continue; // an empty document between `---` markers
    try {
      values.push(doc.toJS({ maxAliasCount: 100 }));
    } catch (e) {
      throw new CliInputError(`${source}: ${firstLine((e as Error).message)}`);
    }
  }
  return values;
}

export function describeJsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0]!.trim();
}
