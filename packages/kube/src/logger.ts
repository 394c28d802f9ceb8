/**
 * The slice of a pino logger this package uses. Consumers pass their own pino
 * (child) logger; nothing here builds one.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything (for callers that do not care, e.g. benches). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** `{err: message, stack}` fields for a log line (pino's `err` serializer needs an Error). */
export function errFields(err: unknown): { err: string; stack?: string } {
  if (err instanceof Error) return err.stack === undefined ? { err: err.message } : { err: err.message, stack: err.stack };
  return { err: String(err) };
}
