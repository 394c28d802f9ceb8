/**
 * The slice of a pino logger that qvirt's packages log through. Callers pass their own pino (child)
 * logger, with fields such as `vmi`, `namespace`, `node`; nothing in a package builds one.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything (for callers that do not care, e.g. benches and tests). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/**
 * The one shape of a logged error: `{err: message, stack}`, spread into a log line's fields
 * (`logger.warn({ vmi, ...errFields(err) }, 'starting the VMI failed')`). The stack is kept; a
 * thrown non-Error is logged as text.
 */
export function errFields(err: unknown): { err: string; stack?: string } {
  if (err instanceof Error) return err.stack === undefined ? { err: err.message } : { err: err.message, stack: err.stack };
  return { err: describe(err) };
}

/** A thrown non-Error as text: a plain object as its JSON (String() would print [object Object]). */
function describe(v: unknown): string {
  if (typeof v !== 'object' || v === null) return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
