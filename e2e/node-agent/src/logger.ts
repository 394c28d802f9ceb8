/** The slice of a pino logger the node agent uses (pino child loggers fit). */
export interface AgentLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): AgentLogger;
}

export function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
