import { readFile, stat } from 'node:fs/promises';
import { CliInputError } from './input-error.js';

/** What a CLI command touches outside itself, so tests can hand it fakes. */
export interface CliIo {
  /** A file's text; `-` is stdin. Throws CliInputError with a one-line reason. */
  readText(path: string): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Far above any object the API server stores (its request limit is 3 MiB). */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
};

export function nodeCliIo(): CliIo {
  return {
    readText: (path) => (path === '-' ? readStdin() : readFileText(path)),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  };
}

async function readFileText(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliInputError(`${path}: is a directory`);
    if (info.size > MAX_INPUT_BYTES) throw new CliInputError(`${path}: ${info.size} bytes is more than the ${MAX_INPUT_BYTES} bytes accepted`);
    return await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof CliInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new CliInputError(`${path}: ${REASONS[code] ?? (err as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_INPUT_BYTES) throw new CliInputError(`stdin: more than the ${MAX_INPUT_BYTES} bytes accepted`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
