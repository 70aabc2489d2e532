type LogMethod = (fields: Record<string, unknown>, msg: string) => void;

/**
 * The slice of a logger the lifecycle needs. A pino logger fits as it is; taking an interface
 * keeps this module free of the logger module (copy it alone).
 */
export interface LifecycleLogger {
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** Used for crashes when present, else error. */
  fatal?: LogMethod;
  /** Called right before the process exits, so buffered lines are not lost. */
  flush?: () => void;
}
