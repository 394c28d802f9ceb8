import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './virt-api-process.js';

/** Every YAML document of a repository file, as plain objects. */
export function loadDocs<T = Record<string, unknown>>(relPath: string): T[] {
  return parseAllDocuments(readFileSync(join(repoRoot, relPath), 'utf8')).map((d) => d.toJS() as T);
}

export function loadDoc<T = Record<string, unknown>>(relPath: string): T {
  const [doc] = loadDocs<T>(relPath);
  if (doc === undefined) throw new Error(`${relPath} has no YAML document`);
  return doc;
}
