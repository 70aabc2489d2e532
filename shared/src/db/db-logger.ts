/** The part of a logger this module uses; a pino logger fits, so does a console shim. */
export interface DbLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
